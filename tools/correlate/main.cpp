#include "cli/main.hpp"
#include "correlate/correlate.hpp"
#include "correlate/options.hpp"

int main(int argc, char** argv) {
  using namespace mimamori;
  return cli::run_main(argc, argv, correlate::tool(), correlate::setup, correlate::run);
}
