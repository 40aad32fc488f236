// fuzz: mimamori_syslog mimamori_time
// The syslog envelope reader takes any bytes: it never crashes, every view it
// returns lies inside the line, the message is never lost (it ends the line),
// and walking the structured data ends inside it.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "syslog/header.hpp"

using namespace mimamori;

namespace {

void inside(std::string_view part, std::string_view line) {
  if (part.empty()) return;
  if (part.data() < line.data() || part.data() + part.size() > line.data() + line.size()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A copy of exactly the input's size, so reading past it is caught.
  const std::string copy(reinterpret_cast<const char*>(data), size);
  const std::string_view line(copy);
  syslog::header h;
  const syslog::header_context context{time::timestamp::from_seconds(1727924400),
                                       time::zone::utc()};
  syslog::parse_header(line, context, h);
  if (h.priority < -1 || h.priority > 191) std::abort();
  inside(h.hostname, line);
  inside(h.app_name, line);
  inside(h.procid, line);
  inside(h.msgid, line);
  inside(h.structured_data, line);
  inside(h.message, line);
  // The message is the rest of the line: nothing after it is dropped.
  if (!h.message.empty() && h.message.data() + h.message.size() != line.data() + line.size()) {
    std::abort();
  }
  if (h.format == syslog::header_format::none && !h.hostname.empty()) std::abort();
  (void)syslog::severity_name(h.severity());
  (void)syslog::facility_name(h.facility());
  std::size_t pos = 0, previous = 0;
  syslog::sd_param param;
  int params = 0;
  while (syslog::next_sd_param(h.structured_data, pos, param)) {
    if (pos <= previous || pos > h.structured_data.size()) std::abort();  // always moves on
    previous = pos;
    inside(param.sd_id, line);
    inside(param.name, line);
    inside(param.value, line);
    if (++params > 100000) std::abort();
  }
  return 0;
}
