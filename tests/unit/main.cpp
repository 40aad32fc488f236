// The one Boost.Test entry point that every unit test executable shares.
#define BOOST_TEST_MODULE mimamori
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>
