#include "pcap/capture.hpp"

#include <pcap/dlt.h>
#include <zlib.h>

#include <boost/test/unit_test.hpp>
#include <stdexcept>

#include "pcap/frames.hpp"
#include "temp_dir.hpp"

using namespace mimamori;
using namespace mimamori::testing;

namespace {

void put32le(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
}

// A classic little-endian microsecond pcap file of Ethernet frames.
std::string pcap_file(const std::vector<bytes>& frames) {
  std::string s;
  put32le(s, 0xa1b2c3d4);
  s.append("\x02\x00\x04\x00", 4);
  put32le(s, 0);
  put32le(s, 0);
  put32le(s, 65535);
  put32le(s, DLT_EN10MB);
  std::uint32_t t = 1'700'000'000;
  for (const bytes& f : frames) {
    put32le(s, t++);
    put32le(s, 250000);
    put32le(s, static_cast<std::uint32_t>(f.size()));
    put32le(s, static_cast<std::uint32_t>(f.size()));
    s.append(f.begin(), f.end());
  }
  return s;
}

std::vector<bytes> three_queries() {
  std::vector<bytes> frames;
  for (std::uint16_t id = 1; id <= 3; ++id) {
    frames.push_back(ethernet(ip("10.0.0.1", "10.0.0.2", 17, udp(1000, 53, dns_query(id, "a.b")))));
  }
  return frames;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capture)

BOOST_AUTO_TEST_CASE(reads_a_file_with_packet_times) {
  temp_dir dir;
  std::string path = dir.write("three.pcap", pcap_file(three_queries()));
  auto c = pcap::capture::open(path, "");
  BOOST_TEST(!c->live());
  BOOST_TEST(c->link_type() == DLT_EN10MB);
  time::timestamp when;
  std::span<const std::uint8_t> frame;
  int n = 0;
  while (c->next(when, frame) == pcap::capture::next_status::packet) {
    BOOST_TEST(when.ns == (1'700'000'000LL + n) * 1'000'000'000 + 250'000'000);
    ++n;
  }
  BOOST_TEST(n == 3);
}

BOOST_AUTO_TEST_CASE(names_the_offset_where_a_truncated_file_breaks_off) {
  temp_dir dir;
  std::string whole = pcap_file(three_queries());
  std::size_t record = 16 + three_queries()[0].size();
  std::size_t third = 24 + 2 * record;
  std::string path = dir.write("cut.pcap", whole.substr(0, third + 20));  // inside the third
  auto c = pcap::capture::open(path, "");
  time::timestamp when;
  std::span<const std::uint8_t> frame;
  BOOST_TEST((c->next(when, frame) == pcap::capture::next_status::packet));
  BOOST_TEST((c->next(when, frame) == pcap::capture::next_status::packet));
  BOOST_TEST((c->next(when, frame) == pcap::capture::next_status::error));
  BOOST_TEST(c->message().find("at byte " + std::to_string(third)) != std::string::npos,
             c->message());
}

BOOST_AUTO_TEST_CASE(applies_a_bpf_filter_and_reads_gzip_files) {
  temp_dir dir;
  std::vector<bytes> frames = three_queries();
  frames.push_back(ethernet(ip("10.0.0.1", "10.0.0.2", 6, tcp(1, 80, 0, 2, ""))));
  std::string data = pcap_file(frames);
  std::string path = dir.file("f.pcap.gz");
  gzFile gz = gzopen(path.c_str(), "wb");
  gzwrite(gz, data.data(), static_cast<unsigned>(data.size()));
  gzclose(gz);
  auto c = pcap::capture::open(path, "tcp port 80");
  time::timestamp when;
  std::span<const std::uint8_t> frame;
  int n = 0;
  while (c->next(when, frame) == pcap::capture::next_status::packet) ++n;
  BOOST_TEST(n == 1);
}

BOOST_AUTO_TEST_CASE(refuses_a_bad_filter_and_a_missing_file_by_name) {
  temp_dir dir;
  std::string path = dir.write("three.pcap", pcap_file(three_queries()));
  try {
    (void)pcap::capture::open(path, "port banana");
    BOOST_FAIL("no error");
  } catch (const pcap::filter_error& e) {
    BOOST_TEST(std::string(e.what()).find("--bpf") != std::string::npos, e.what());
  }
  BOOST_CHECK_THROW((void)pcap::capture::open(dir.file("missing.pcap"), ""), std::runtime_error);
  BOOST_CHECK_THROW((void)pcap::capture::open(dir.write("junk.pcap", "not a capture"), ""),
                    std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
