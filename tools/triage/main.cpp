#include "cli/main.hpp"
#include "triage/options.hpp"
#include "triage/triage.hpp"

int main(int argc, char** argv) {
  using namespace mimamori;
  return cli::run_main(argc, argv, triage::tool(), triage::setup, triage::run);
}
