// rsmctl's client side against a fake rsmd of the tests' own (fake_rsmd.h): the requests each
// command sends, what it prints, and how every failure reads.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
