#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "sg/cdb.h"
#include "sg/sg_transport.h"

extern "C" {
#include <scsi/sg_pt.h>
}

using namespace rsm;
using namespace rsm::sg;

namespace {

// A scripted sg_pt: what the next command returns, and a record of what SgTransport asked.
struct FakePassThrough {
    // Script.
    int openResult = 7;
    bool constructFails = false;
    int constructOsError = 0;
    int doResult = 0;
    int category = SCSI_PT_RESULT_GOOD;
    int status = 0;
    int residual = 0;
    int osError = 0;
    std::vector<std::uint8_t> deviceData;   // written into the data-in buffer
    std::vector<std::uint8_t> deviceSense;  // written into the sense buffer
    int reportedSenseLength = -1;           // -1: deviceSense.size()
    std::string transportText;
    int maxTransfer = -EINVAL;  // BLKSECTGET

    // Record.
    std::string openedPath;
    bool openedReadOnly = true;
    std::vector<int> closed;
    int constructed = 0;
    int destructed = 0;
    int constructFd = -1;
    std::vector<std::uint8_t> cdb;
    int senseMax = 0;
    int dataInLength = -1;
    std::vector<std::uint8_t> dataOut;
    bool dataOutSet = false;
    int timeoutSeconds = -1;
    int doFd = -1;

    unsigned char *senseBuffer = nullptr;
    unsigned char *dataInBuffer = nullptr;
};

FakePassThrough fake;
char fakeObject;

sg_pt_base *object() {
    return reinterpret_cast<sg_pt_base *>(&fakeObject);
}

const PassThroughApi fakeApi{
    [](const char *device, bool readOnly, int) {
        fake.openedPath = device;
        fake.openedReadOnly = readOnly;
        return fake.openResult;
    },
    [](int fd) {
        fake.closed.push_back(fd);
        return 0;
    },
    [](int fd, int) -> sg_pt_base * {
        fake.constructFd = fd;
        // A new object knows nothing of the previous command's buffers.
        fake.cdb.clear();
        fake.senseBuffer = nullptr;
        fake.senseMax = 0;
        fake.dataInBuffer = nullptr;
        fake.dataInLength = -1;
        fake.dataOut.clear();
        fake.dataOutSet = false;
        if (fake.constructFails)
            return nullptr;
        ++fake.constructed;
        return object();
    },
    [](sg_pt_base *p) {
        CHECK(p == object());
        ++fake.destructed;
    },
    [](sg_pt_base *, const unsigned char *cdb, int len) { fake.cdb.assign(cdb, cdb + len); },
    [](sg_pt_base *, unsigned char *sense, int maxLen) {
        fake.senseBuffer = sense;
        fake.senseMax = maxLen;
    },
    [](sg_pt_base *, unsigned char *buf, int len) {
        fake.dataInBuffer = buf;
        fake.dataInLength = len;
    },
    [](sg_pt_base *, const unsigned char *buf, int len) {
        fake.dataOut.assign(buf, buf + len);
        fake.dataOutSet = true;
    },
    [](sg_pt_base *, int fd, int timeoutSeconds, int) {
        fake.doFd = fd;
        fake.timeoutSeconds = timeoutSeconds;
        if (fake.dataInBuffer) {
            const auto n = std::min<std::size_t>(fake.deviceData.size(),
                                                 static_cast<std::size_t>(fake.dataInLength));
            std::copy_n(fake.deviceData.begin(), n, fake.dataInBuffer);
        }
        if (fake.senseBuffer) {
            const auto n = std::min<std::size_t>(fake.deviceSense.size(),
                                                 static_cast<std::size_t>(fake.senseMax));
            std::copy_n(fake.deviceSense.begin(), n, fake.senseBuffer);
        }
        return fake.doResult;
    },
    [](const sg_pt_base *) { return fake.category; },
    [](const sg_pt_base *) { return fake.status; },
    [](const sg_pt_base *) {
        return fake.reportedSenseLength >= 0 ? fake.reportedSenseLength
                                             : static_cast<int>(fake.deviceSense.size());
    },
    [](const sg_pt_base *) { return fake.residual; },
    [](const sg_pt_base *p) { return p == nullptr ? 0 : fake.osError; },
    [](const sg_pt_base *, int maxLen, char *buf) {
        const auto n =
            std::min<std::size_t>(fake.transportText.size(), static_cast<std::size_t>(maxLen - 1));
        std::copy_n(fake.transportText.begin(), n, buf);
        buf[n] = '\0';
        return buf;
    },
    [](int) { return fake.maxTransfer; },
};

std::unique_ptr<SgTransport> openFake() {
    auto opened = SgTransport::open("/dev/sg5", fakeApi);
    REQUIRE(opened.ok());
    return std::move(opened).value();
}

std::vector<std::uint8_t> fixedSense(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq) {
    std::vector<std::uint8_t> s(18, 0);
    s[0] = 0x70;
    s[2] = key;
    s[7] = 10;
    s[12] = asc;
    s[13] = ascq;
    return s;
}

}  // namespace

TEST_CASE("SgTransport: the libsgutils2 table points at sg_pt's functions") {
    const PassThroughApi &api = PassThroughApi::libsgutils2();
    CHECK((api.open == &scsi_pt_open_device));
    CHECK((api.close == &scsi_pt_close_device));
    CHECK((api.construct == &construct_scsi_pt_obj_with_fd));
    CHECK((api.destruct == &destruct_scsi_pt_obj));
    CHECK((api.setCdb == &set_scsi_pt_cdb));
    CHECK((api.setSense == &set_scsi_pt_sense));
    CHECK((api.setDataIn == &set_scsi_pt_data_in));
    CHECK((api.setDataOut == &set_scsi_pt_data_out));
    CHECK((api.doScsiPt == &do_scsi_pt));
    CHECK((api.resultCategory == &get_scsi_pt_result_category));
    CHECK((api.status == &get_scsi_pt_status_response));
    CHECK((api.senseLength == &get_scsi_pt_sense_len));
    CHECK((api.residual == &get_scsi_pt_resid));
    CHECK((api.osError == &get_scsi_pt_os_err));
    CHECK((api.transportErrorString == &get_scsi_pt_transport_err_str));
}

TEST_CASE("SgTransport: the maximum transfer is what the kernel says when the node is opened") {
    fake = {};
    fake.maxTransfer = 512 * 1024;
    CHECK(openFake()->maxTransferLength() == std::optional<std::uint32_t>(512 * 1024));
    fake.maxTransfer = -ENOTTY;
    CHECK(!openFake()->maxTransferLength().has_value());
    fake.maxTransfer = 0;
    CHECK(!openFake()->maxTransferLength().has_value());
}

TEST_CASE("SgTransport: opening a missing node gives DEVICE_NOT_AVAILABLE with the OS reason") {
    auto opened = SgTransport::open("/nonexistent/rsm-test/sg99");
    REQUIRE(!opened.ok());
    CHECK(opened.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(opened.error().message() ==
          "cannot open /nonexistent/rsm-test/sg99: No such file or directory");
}

TEST_CASE("SgTransport: a node that is no SCSI device fails at execute, not with a crash") {
    // /dev/null opens read-write, but SG_IO on it is refused by the kernel (ENOTTY).
    auto opened = SgTransport::open("/dev/null");
    REQUIRE(opened.ok());
    CHECK((*opened)->describe() == "/dev/null");
    CHECK(!(*opened)->maxTransferLength().has_value());  // no BLKSECTGET on /dev/null
    auto reply = (*opened)->execute(cdb::inquiry());
    REQUIRE(!reply.ok());
    CHECK(reply.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(reply.error().message().find("INQUIRY on /dev/null") != std::string::npos);
}

TEST_CASE("SgTransport: open asks for read-write and maps EACCES to ACCESS_DENIED") {
    fake = {};
    {
        auto t = openFake();
        CHECK(fake.openedPath == "/dev/sg5");
        CHECK(!fake.openedReadOnly);
        CHECK(t->describe() == "/dev/sg5");
        CHECK(fake.closed.empty());
    }
    CHECK(fake.closed == std::vector<int>{7});  // the destructor closes the descriptor

    fake = {};
    fake.openResult = -EACCES;
    auto denied = SgTransport::open("/dev/sg5", fakeApi);
    REQUIRE(!denied.ok());
    CHECK(denied.error().code() == ErrorCode::AccessDenied);
    CHECK(denied.error().message() == "cannot open /dev/sg5: Permission denied");

    fake = {};
    fake.openResult = -ENODEV;
    auto gone = SgTransport::open("/dev/sg5", fakeApi);
    REQUIRE(!gone.ok());
    CHECK(gone.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(gone.error().message() == "cannot open /dev/sg5: No such device");
    CHECK(fake.closed.empty());
}

TEST_CASE("SgTransport: GOOD returns the data less the residual") {
    fake = {};
    auto t = openFake();
    fake.deviceData = {1, 2, 3, 4, 5, 6};
    fake.residual = 90;  // 96 asked, 6 sent
    Command command = cdb::inquiry(96);
    command.timeout = std::chrono::milliseconds(1'500);
    auto reply = t->execute(command);
    REQUIRE(reply.ok());
    CHECK(reply->status == status::Good);
    CHECK(reply->data == std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6});
    CHECK(reply->sense.empty());

    CHECK(fake.cdb == command.cdb);
    CHECK(fake.dataInLength == 96);
    CHECK(!fake.dataOutSet);
    CHECK(fake.senseMax == 252);
    CHECK(fake.timeoutSeconds == 2);  // 1.5 s rounded up
    CHECK(fake.constructFd == 7);
    CHECK(fake.doFd == 7);
    CHECK(fake.constructed == 1);  // one pass-through object per command, destroyed after it
    CHECK(fake.destructed == 1);
}

TEST_CASE("SgTransport: residuals out of range are clamped") {
    fake = {};
    auto t = openFake();
    fake.deviceData = {9, 9, 9, 9};
    Command command = cdb::inquiry(4);

    fake.residual = 0;
    auto full = t->execute(command);
    REQUIRE(full.ok());
    CHECK(full->data.size() == 4);

    fake.residual = -3;  // nonsense from a driver: ignore it
    auto negative = t->execute(command);
    REQUIRE(negative.ok());
    CHECK(negative->data.size() == 4);

    fake.residual = 10;  // more than the buffer
    auto over = t->execute(command);
    REQUIRE(over.ok());
    CHECK(over->data.empty());
    CHECK(fake.constructed == 3);
    CHECK(fake.destructed == 3);
}

TEST_CASE("SgTransport: the timeout is whole seconds, rounded up, at least one") {
    fake = {};
    auto t = openFake();
    Command command = cdb::testUnitReady();
    const std::pair<long, int> cases[] = {{0, 1},     {1, 1},       {999, 1},      {1'000, 1},
                                          {1'001, 2}, {60'000, 60}, {600'000, 600}};
    for (const auto &c : cases) {
        const long ms = c.first;  // not a structured binding: clang 14 cannot capture those
        const int seconds = c.second;
        CAPTURE(ms);
        command.timeout = std::chrono::milliseconds(ms);
        REQUIRE(t->execute(command).ok());
        CHECK(fake.timeoutSeconds == seconds);
    }
    CHECK(fake.dataInLength == -1);  // no data phase for TEST UNIT READY
}

TEST_CASE("SgTransport: data-out commands hand their buffer to sg_pt") {
    fake = {};
    auto t = openFake();
    Command command;
    command.cdb = {0x15, 0x10, 0, 0, 4, 0};
    command.direction = Direction::ToDevice;
    command.dataOut = {0xA, 0xB, 0xC, 0xD};
    auto reply = t->execute(command);
    REQUIRE(reply.ok());
    CHECK(fake.dataOutSet);
    CHECK(fake.dataOut == command.dataOut);
    CHECK(fake.dataInLength == -1);
    CHECK(reply->data.empty());
}

TEST_CASE("SgTransport: STATUS returns the SCSI status without data") {
    fake = {};
    auto t = openFake();
    fake.category = SCSI_PT_RESULT_STATUS;
    fake.status = status::Busy;
    fake.deviceData = {1, 2, 3};
    auto reply = t->execute(cdb::inquiry());
    REQUIRE(reply.ok());
    CHECK(reply->status == status::Busy);
    CHECK(reply->data.empty());
    CHECK(reply->sense.empty());

    fake.status = -1;  // the library could not tell
    auto unknown = t->execute(cdb::inquiry());
    REQUIRE(!unknown.ok());
    CHECK(unknown.error().code() == ErrorCode::DeviceNotAvailable);
}

TEST_CASE("SgTransport: SENSE returns CHECK CONDITION with the sense bytes and any data") {
    fake = {};
    auto t = openFake();
    fake.category = SCSI_PT_RESULT_SENSE;
    fake.status = status::CheckCondition;
    fake.deviceSense = fixedSense(0x5, 0x3B, 0x0E);
    fake.deviceData = {7, 7};
    fake.residual = 94;
    auto reply = t->execute(cdb::inquiry(96));
    REQUIRE(reply.ok());
    CHECK(reply->status == status::CheckCondition);
    CHECK(reply->sense == fake.deviceSense);
    CHECK(reply->data == std::vector<std::uint8_t>{7, 7});

    fake.reportedSenseLength = 1'000;  // never more than the buffer
    auto big = t->execute(cdb::testUnitReady());
    REQUIRE(big.ok());
    CHECK(big->sense.size() == 252);
    CHECK(std::equal(fake.deviceSense.begin(), fake.deviceSense.end(), big->sense.begin()));
    CHECK(big->data.empty());

    fake.reportedSenseLength = 0;
    auto none = t->execute(cdb::testUnitReady());
    REQUIRE(none.ok());
    CHECK(none->status == status::CheckCondition);
    CHECK(none->sense.empty());
}

TEST_CASE("SgTransport: transport errors are TIMEOUT when the host says so") {
    fake = {};
    auto t = openFake();
    fake.category = SCSI_PT_RESULT_TRANSPORT_ERR;

    fake.transportText = "Host_status=0x03 [DID_TIME_OUT]\nDriver_status=0x00 [DRIVER_OK]\n";
    Command move;
    move.cdb = {0xA5, 0, 0, 0, 0x03, 0xE8, 0x01, 0xF4, 0, 0, 0, 0};
    move.name = "MOVE MEDIUM";
    auto timedOut = t->execute(move);
    REQUIRE(!timedOut.ok());
    CHECK(timedOut.error().code() == ErrorCode::Timeout);
    CHECK(timedOut.error().isUnanswered());
    CHECK(timedOut.error().message() ==
          "MOVE MEDIUM on /dev/sg5: no answer within 60 s (Host_status=0x03 [DID_TIME_OUT] "
          "Driver_status=0x00 [DRIVER_OK])");
    CHECK(!timedOut.error().sense().has_value());

    fake.transportText = "Driver_status=0x06 [DRIVER_TIMEOUT]\n";
    auto driverTimeout = t->execute(cdb::testUnitReady());
    REQUIRE(!driverTimeout.ok());
    CHECK(driverTimeout.error().code() == ErrorCode::Timeout);

    fake.transportText = "Host_status=0x01 [DID_NO_CONNECT]\n";
    auto gone = t->execute(cdb::testUnitReady());
    REQUIRE(!gone.ok());
    CHECK(gone.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(gone.error().message().find("DID_NO_CONNECT") != std::string::npos);
    CHECK(gone.error().isUnanswered());

    fake.transportText = "";
    auto silent = t->execute(cdb::testUnitReady());
    REQUIRE(!silent.ok());
    CHECK(silent.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(fake.destructed == 4);
}

TEST_CASE("SgTransport: OS errors carry strerror, timeouts and interrupts are TIMEOUT") {
    fake = {};
    auto t = openFake();
    fake.category = SCSI_PT_RESULT_OS_ERR;

    fake.osError = ENODEV;
    auto gone = t->execute(cdb::testUnitReady());
    REQUIRE(!gone.ok());
    CHECK(gone.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(gone.error().message() == "TEST UNIT READY on /dev/sg5: No such device");
    CHECK(gone.error().isUnanswered());

    // The OS refusing the command as asked (a transfer too long) is no unanswered command.
    fake.osError = EINVAL;
    auto refused = t->execute(cdb::testUnitReady());
    REQUIRE(!refused.ok());
    CHECK(!refused.error().isUnanswered());

    fake = {};
    fake.category = SCSI_PT_RESULT_OS_ERR;
    fake.osError = ETIMEDOUT;
    auto slow = t->execute(cdb::testUnitReady());
    REQUIRE(!slow.ok());
    CHECK(slow.error().code() == ErrorCode::Timeout);

    fake.osError = EINTR;
    auto interrupted = t->execute(cdb::testUnitReady());
    REQUIRE(!interrupted.ok());
    CHECK(interrupted.error().code() == ErrorCode::Timeout);
}

TEST_CASE("SgTransport: do_scsi_pt's own failures are errors") {
    fake = {};
    auto t = openFake();

    fake.doResult = -EIO;
    auto io = t->execute(cdb::testUnitReady());
    REQUIRE(!io.ok());
    CHECK(io.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(io.error().message() == "TEST UNIT READY on /dev/sg5: Input/output error");

    fake.doResult = -ETIMEDOUT;
    auto slow = t->execute(cdb::testUnitReady());
    REQUIRE(!slow.ok());
    CHECK(slow.error().code() == ErrorCode::Timeout);

    fake.doResult = SCSI_PT_DO_TIMEOUT;
    auto ptTimeout = t->execute(cdb::testUnitReady());
    REQUIRE(!ptTimeout.ok());
    CHECK(ptTimeout.error().code() == ErrorCode::Timeout);
    CHECK(ptTimeout.error().isUnanswered());
    CHECK(ptTimeout.error().message() ==
          "TEST UNIT READY on /dev/sg5: no answer within 60 s (timed out)");

    fake.doResult = SCSI_PT_DO_BAD_PARAMS;
    auto bad = t->execute(cdb::testUnitReady());
    REQUIRE(!bad.ok());
    CHECK(bad.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(fake.constructed == 4);
    CHECK(fake.destructed == 4);
}

TEST_CASE("SgTransport: a pass-through object that cannot be made is an error") {
    fake = {};
    auto t = openFake();
    fake.constructFails = true;
    auto none = t->execute(cdb::testUnitReady());
    REQUIRE(!none.ok());
    CHECK(none.error().code() == ErrorCode::NotEnoughMemory);

    fake.constructFails = false;
    fake.osError = EBADF;
    auto badFd = t->execute(cdb::testUnitReady());
    REQUIRE(!badFd.ok());
    CHECK(badFd.error().code() == ErrorCode::DeviceNotAvailable);
    CHECK(fake.destructed == 1);  // the object made is still destroyed
    CHECK(fake.cdb.empty());      // and nothing was sent

    Command empty;
    auto noCdb = t->execute(empty);
    REQUIRE(!noCdb.ok());
    CHECK(noCdb.error().code() == ErrorCode::InvalidParameter);
}
