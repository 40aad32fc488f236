#include "logcollect/options.hpp"

namespace mimamori::logcollect {

cli::tool_description tool() {
  return {
      "logcollect",
      "logcollect [OPTIONS] [FILE...]",
      "Receive log lines and write one raw mimamori record per line (NDJSON), "
      "stamped, framed and tagged with the customer; .zst and .gz files are read as they are.",
      "logcollect --org acme /var/log/fw/*.log.zst | lognorm",
  };
}

void setup(CLI::App& app, options& o) {
  app.add_option("inputs", o.inputs, "Files to read; none or - reads stdin")->type_name("FILE");
  const char* group = "Source";
  app.add_option("--org", o.organization, "The customer these logs belong to (organization.id)")
      ->type_name("ID")
      ->capture_default_str()
      ->group(group);
  app.add_option("--observer-hostname", o.observer_hostname,
                 "The device that wrote the logs (observer.hostname)")
      ->type_name("NAME")
      ->group(group);
  app.add_option("--observer-vendor", o.observer_vendor, "Its vendor (observer.vendor)")
      ->type_name("NAME")
      ->group(group);
  app.add_option("--observer-product", o.observer_product, "Its product (observer.product)")
      ->type_name("NAME")
      ->group(group);
  app.add_option("--observer-type", o.observer_type,
                 "Its kind: firewall, proxy, ids, edr, server... (observer.type)")
      ->type_name("TYPE")
      ->group(group);
}

}  // namespace mimamori::logcollect
