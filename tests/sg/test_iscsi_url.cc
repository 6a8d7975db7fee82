#include <doctest/doctest.h>

#include "sg/iscsi_transport.h"
#include "sg/open.h"

using namespace rsm;
using namespace rsm::sg;

TEST_CASE("parseIscsiUrl reads host, port, target and LUN") {
    auto url = parseIscsiUrl("iscsi://127.0.0.1:3261/iqn.2024-01.org.rsm:vtl/3");
    REQUIRE(url.ok());
    CHECK(url->host == "127.0.0.1");
    CHECK(url->port == 3261);
    CHECK(url->target == "iqn.2024-01.org.rsm:vtl");
    CHECK(url->lun == 3);
    CHECK(url->portal() == "127.0.0.1:3261");
    CHECK(url->toString() == "iscsi://127.0.0.1:3261/iqn.2024-01.org.rsm:vtl/3");
}

TEST_CASE("parseIscsiUrl defaults the port to 3260") {
    auto url = parseIscsiUrl("iscsi://tapes.example.com/iqn.1993-08.org.debian:01:lib/0");
    REQUIRE(url.ok());
    CHECK(url->host == "tapes.example.com");
    CHECK(url->port == 3260);
    CHECK(url->target == "iqn.1993-08.org.debian:01:lib");
    CHECK(url->lun == 0);
    // toString gives the canonical form, with the port.
    CHECK(url->toString() == "iscsi://tapes.example.com:3260/iqn.1993-08.org.debian:01:lib/0");
}

TEST_CASE("parseIscsiUrl accepts other name forms and an upper-case scheme") {
    auto eui = parseIscsiUrl("ISCSI://10.0.0.5:860/eui.02004567A425678D/255");
    REQUIRE(eui.ok());
    CHECK(eui->port == 860);
    CHECK(eui->target == "eui.02004567A425678D");
    CHECK(eui->lun == 255);
    auto naa = parseIscsiUrl("iscsi://host_1/naa.52004567BA64678D/7");
    REQUIRE(naa.ok());
    CHECK(naa->host == "host_1");
}

TEST_CASE("parseIscsiUrl takes IPv6 addresses in brackets") {
    auto url = parseIscsiUrl("iscsi://[::1]:3262/iqn.2024-01.org.rsm:vtl/1");
    REQUIRE(url.ok());
    CHECK(url->host == "::1");
    CHECK(url->port == 3262);
    CHECK(url->portal() == "[::1]:3262");
    CHECK(url->toString() == "iscsi://[::1]:3262/iqn.2024-01.org.rsm:vtl/1");
    auto noPort = parseIscsiUrl("iscsi://[fe80::1:2]/iqn.x/2");
    REQUIRE(noPort.ok());
    CHECK(noPort->host == "fe80::1:2");
    CHECK(noPort->port == 3260);
}

TEST_CASE("parseIscsiUrl round-trips through toString") {
    for (const char *text :
         {"iscsi://127.0.0.1:3260/iqn.2024-01.org.rsm:vtl/0",
          "iscsi://[2001:db8::7]:40000/iqn.a:b/12",
          "iscsi://library.local:65535/iqn.2001-04.com.example:storage.tape1/99"}) {
        CAPTURE(text);
        auto url = parseIscsiUrl(text);
        REQUIRE(url.ok());
        CHECK(url->toString() == text);
        auto again = parseIscsiUrl(url->toString());
        REQUIRE(again.ok());
        CHECK(again->host == url->host);
        CHECK(again->port == url->port);
        CHECK(again->target == url->target);
        CHECK(again->lun == url->lun);
    }
}

TEST_CASE("parseIscsiUrl rejects malformed URLs with ERROR_INVALID_PARAMETER") {
    struct Bad {
        const char *url;
        const char *says;  // part of the message
    };
    const Bad bad[] = {
        {"", "iscsi://"},
        {"/dev/sg3", "iscsi://"},
        {"http://127.0.0.1/iqn.x/1", "iscsi://"},
        {"iscsi:/127.0.0.1/iqn.x/1", "iscsi://"},
        {"iscsi://", "missing"},
        {"iscsi://127.0.0.1", "missing"},
        {"iscsi://127.0.0.1/", "LUN is missing"},
        {"iscsi://127.0.0.1/iqn.x", "LUN is missing"},
        {"iscsi://127.0.0.1/iqn.x/", "LUN is missing"},
        {"iscsi://127.0.0.1//1", "target name is missing"},
        {"iscsi:///iqn.x/1", "host is missing"},
        {"iscsi://:3260/iqn.x/1", "host is missing"},
        {"iscsi://127.0.0.1:/iqn.x/1", "port"},
        {"iscsi://127.0.0.1:0/iqn.x/1", "port"},
        {"iscsi://127.0.0.1:65536/iqn.x/1", "port"},
        {"iscsi://127.0.0.1:32a/iqn.x/1", "port"},
        {"iscsi://127.0.0.1:-1/iqn.x/1", "port"},
        {"iscsi://127.0.0.1:3260/iqn.x/a", "LUN"},
        {"iscsi://127.0.0.1:3260/iqn.x/-1", "LUN"},
        {"iscsi://127.0.0.1:3260/iqn.x/256", "LUN"},
        {"iscsi://127.0.0.1:3260/iqn.x/1 ", "LUN"},
        {"iscsi://127.0.0.1:3260/iqn.x/1/2", "too many path elements"},
        {"iscsi://127.0.0.1:3260/iqn x/1", "target name"},
        {"iscsi://::1:3260/iqn.x/1", "brackets"},
        {"iscsi://[::1/iqn.x/1", "closing"},
        {"iscsi://[]:3260/iqn.x/1", "IPv6"},
        {"iscsi://[::1]x/iqn.x/1", "after the IPv6 address"},
        {"iscsi://[host]:3260/iqn.x/1", "IPv6"},
        {"iscsi://user%pw@127.0.0.1/iqn.x/1", "credentials"},
        {"iscsi://127.0.0.1 /iqn.x/1", "host name"},
    };
    for (const auto &b : bad) {
        CAPTURE(b.url);
        auto url = parseIscsiUrl(b.url);
        REQUIRE(!url.ok());
        CHECK(url.error().code() == ErrorCode::InvalidParameter);
        CHECK(url.error().message().find(b.says) != std::string::npos);
        // The message quotes the URL and the expected form.
        CHECK(url.error().message().find("iscsi://host[:port]/<target-iqn>/<lun>") !=
              std::string::npos);
    }
}

TEST_CASE("isIscsiUrl tells iSCSI URLs from device paths") {
    CHECK(isIscsiUrl("iscsi://127.0.0.1/iqn.x/1"));
    CHECK(isIscsiUrl("ISCSI://127.0.0.1/iqn.x/1"));
    CHECK(!isIscsiUrl("/dev/sg3"));
    CHECK(!isIscsiUrl("iscsi:"));
    CHECK(!isIscsiUrl(""));
}

TEST_CASE("openTransport reports a malformed iSCSI URL without connecting") {
    auto transport = openTransport("iscsi://127.0.0.1:99999/iqn.x/1");
    REQUIRE(!transport.ok());
    CHECK(transport.error().code() == ErrorCode::InvalidParameter);
}

TEST_CASE("IscsiTransport::connect to a closed port is ERROR_DEVICE_NOT_AVAILABLE") {
    // Port 1 on the loopback address: nothing listens there, the connection is refused at once.
    IscsiOptions options;
    options.connectTimeout = std::chrono::seconds(3);
    auto transport = IscsiTransport::connect("iscsi://127.0.0.1:1/iqn.x/1", options);
    REQUIRE(!transport.ok());
    CHECK(transport.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(transport.error().message() ==
          "cannot connect to iscsi://127.0.0.1:1/iqn.x/1: TCP "
          "connection to 127.0.0.1:1: Connection refused");
}
