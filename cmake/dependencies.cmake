# Every dependency comes from Debian's packages (scripts/bootstrap installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(simdjson CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)
# mimalloc: the allocator of the tools whose speed is measured (tools say why).
find_package(mimalloc CONFIG REQUIRED)
# libyaml parses what yaml-cpp's nodes hold (lib/config/yaml_documents.hpp says why).
pkg_check_modules(LIBYAML REQUIRED IMPORTED_TARGET yaml-0.1)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)  # syslog over TLS (logcollect --tls)
find_package(Boost REQUIRED COMPONENTS unit_test_framework)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)  # Windows event XML (lognorm)
find_package(SQLite3 REQUIRED)  # archive index (lib/archive), incident store (lib/incident)
# libpcap (capture and files) and libcrypto (MD5 for JA3, SHA-1 for Community ID).
pkg_check_modules(LIBPCAP REQUIRED IMPORTED_TARGET libpcap)
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)

# Howard Hinnant's date/tz, built by Debian against the system tz database
# (USE_OS_TZDB: /usr/share/zoneinfo, nothing downloaded).
find_package(date CONFIG REQUIRED)
