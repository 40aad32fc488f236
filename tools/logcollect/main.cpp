#include "cli/main.hpp"
#include "logcollect/logcollect.hpp"
#include "logcollect/options.hpp"

int main(int argc, char** argv) {
  using namespace mimamori;
  return cli::run_main(argc, argv, logcollect::tool(), logcollect::setup, logcollect::run);
}
