# Helpers that keep each folder's CMakeLists.txt to a few lines.

# mimamori_library(NAME concept DEPS ...): lib/<concept>/*.cpp -> mimamori_<concept>
function(mimamori_library concept)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(mimamori_${concept} STATIC ${sources})
  target_include_directories(mimamori_${concept} PUBLIC ${PROJECT_SOURCE_DIR}/lib)
  target_link_libraries(mimamori_${concept} PUBLIC ${ARG_DEPS})
endfunction()

# mimamori_tool(name DEPS ...): tools/<name>/main.cpp is the executable; every
# other .cpp in the folder forms mimamori_tool_<name>, which tests link.
function(mimamori_tool name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  list(REMOVE_ITEM sources ${CMAKE_CURRENT_SOURCE_DIR}/main.cpp)
  add_library(mimamori_tool_${name} STATIC ${sources})
  target_include_directories(mimamori_tool_${name} PUBLIC ${PROJECT_SOURCE_DIR}/tools ${PROJECT_SOURCE_DIR}/lib)
  target_link_libraries(mimamori_tool_${name} PUBLIC ${ARG_DEPS})
  add_executable(${name} main.cpp)
  target_link_libraries(${name} PRIVATE mimamori_tool_${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
endfunction()

# mimamori_fast_heap(tool): the tool allocates through mimalloc (lib/heap);
# not under the sanitizers, which bring their own allocator.
function(mimamori_fast_heap name)
  if(NOT MIMAMORI_SANITIZE)
    target_link_libraries(${name} PRIVATE mimamori_heap)
  endif()
endfunction()

# mimamori_unit_tests(module DEPS ...): tests/unit/<module>/*_test.cpp -> one
# Boost.Test executable, registered with CTest under the label `unit`.
function(mimamori_unit_tests module)
  cmake_parse_arguments(ARG "" "" "DEPS;LABELS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  set(target unit_${module})
  add_executable(${target} ${PROJECT_SOURCE_DIR}/tests/unit/main.cpp ${sources})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
  target_link_libraries(${target} PRIVATE ${ARG_DEPS} Boost::unit_test_framework)
  target_compile_definitions(${target} PRIVATE
    MIMAMORI_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    MIMAMORI_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_test(NAME unit/${module} COMMAND ${target} --log_level=warning)
  set(labels unit ${ARG_LABELS})
  set_tests_properties(unit/${module} PROPERTIES LABELS "${labels}" TIMEOUT 300
    ENVIRONMENT "TZ=UTC;LC_ALL=C")
endfunction()

# Add every subfolder that has a CMakeLists.txt.
function(mimamori_add_subfolders)
  file(GLOB children LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/*)
  foreach(child ${children})
    if(IS_DIRECTORY ${child} AND EXISTS ${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
