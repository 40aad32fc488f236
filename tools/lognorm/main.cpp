#include "cli/main.hpp"
#include "lognorm/lognorm.hpp"
#include "lognorm/options.hpp"

int main(int argc, char** argv) {
  using namespace mimamori;
  return cli::run_main(argc, argv, lognorm::tool(), lognorm::setup, lognorm::run);
}
