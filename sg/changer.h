#pragma once
// Changer: a SCSI medium changer (SMC-3) on a Transport. Learns the element map (mode page 1Dh,
// or READ ELEMENT STATUS discovery when the library refuses the page), reads element status
// per element type — all of a type in one command where the transport's maximum transfer
// allows, else in chunks — with a growing allocation length, and moves media.
// Thread-safety: one thread at a time (it owns its transport).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "rsm/error.h"
#include "sg/command_runner.h"
#include "sg/element.h"
#include "sg/element_status.h"
#include "sg/inquiry.h"
#include "sg/mode_pages.h"
#include "sg/transport.h"

namespace rsm::sg {

struct ChangerTimeouts {
    std::chrono::milliseconds inquiry{30'000};
    std::chrono::milliseconds modeSense{60'000};
    std::chrono::milliseconds elementStatus{600'000};
    std::chrono::milliseconds move{900'000};
    std::chrono::milliseconds initialize{1'800'000};  // a full inventory can take half an hour
    std::chrono::milliseconds position{300'000};
    std::chrono::milliseconds preventAllow{60'000};
};

struct ChangerOptions {
    ChangerTimeouts timeouts;
    RetryPolicy retry;
    // Elements asked for per READ ELEMENT STATUS. 0: all the elements of a type in one
    // command, or as many as fit the transport's maxTransferLength(); when the device refuses
    // a read of more than kFallbackChunk elements, kFallbackChunk at a time from then on.
    std::uint16_t chunkElements = 0;
    bool volumeTags = true;         // ask for VOLTAG (retried without when refused)
    bool deviceIdentifiers = true;  // ask for DVCID on drives (retried without)
    CommandRunner::Sleeper sleep;   // tests replace the clock
};

class Changer {
public:
    // Elements per READ ELEMENT STATUS after a device refused a longer one (chunkElements 0).
    static constexpr std::uint16_t kFallbackChunk = 1024;

    explicit Changer(std::unique_ptr<Transport> transport, ChangerOptions options = {});

    Result<InquiryData> inquiry();
    Result<std::string> serialNumber();  // VPD 80h

    // The element address assignment; read once, then cached (forget() drops it). Mode page
    // 1Dh (6-byte MODE SENSE, then 10-byte), else READ ELEMENT STATUS discovery; a command the
    // device did not answer (sg::isTransportFailure) ends it at once, with that error. A
    // device that is no medium changer (INQUIRY, asked only when no usable map came back) is
    // ERROR_INVALID_LIBRARY naming what it is.
    Result<ElementAddressAssignment> elementMap();
    Result<DeviceCapabilities> capabilities();
    void forget();

    // Every element: transports, slots, IE ports, drives, each group in address order.
    Result<std::vector<Element>> status();
    // The same elements in the same order, each handed to `visit` as it lies in its reply (valid
    // during the call only) instead of being kept: for callers that keep a little of each
    // element of a big library (mtx's status).
    Result<void> scan(const std::function<void(const ElementDescriptor &)> &visit);
    // The elements of one type.
    Result<std::vector<Element>> status(ElementType type);
    // The elements of one type in [first, first + count).
    Result<std::vector<Element>> status(ElementType type, std::uint16_t first, std::uint16_t count);

    Result<void> move(std::uint16_t source, std::uint16_t destination, bool invert = false);
    // EXCHANGE MEDIUM source -> destination, destination -> second (source when absent).
    // When the library rejects the opcode, two or three moves through a free slot instead.
    Result<void> exchange(std::uint16_t source, std::uint16_t destination,
                          std::optional<std::uint16_t> second = std::nullopt);
    Result<void> initializeStatus();
    Result<void> initializeStatus(std::uint16_t first, std::uint16_t count);
    Result<void> position(std::uint16_t destination, bool invert = false);
    Result<void> preventRemoval(bool prevent);
    // One TEST UNIT READY, outside the retry rules: true when the changer is ready and has no
    // UNIT ATTENTION to report (nothing happened since its last command: no door opened, no
    // I/E port used, no power-on or "medium may have changed"); false when it reports one or is
    // not ready. An error only when the transport fails.
    Result<bool> unchanged(std::chrono::milliseconds timeout);

    Transport &transport() { return *transport_; }
    const ChangerOptions &options() const { return options_; }

private:
    Result<Reply> run(Command command, std::chrono::milliseconds timeout);
    Result<ElementAddressAssignment> readElementMap();
    Result<ElementAddressAssignment> discoverElementMap();
    // Success when INQUIRY says this is a medium changer; else why not.
    Result<void> checkIsChanger();
    // How many of `remaining` elements one READ ELEMENT STATUS asks for, with descriptors of
    // `perElement` bytes.
    std::uint32_t chunkFor(std::uint32_t remaining, std::uint32_t perElement) const;
    // Hands the elements of one type in [first, first + count) to `visit`, each once, in
    // address order.
    Result<void> visitRange(ElementType type, std::uint16_t first, std::uint16_t count,
                            const std::function<void(const ElementDescriptor &)> &visit);
    // The most bytes one READ ELEMENT STATUS may ask for.
    std::uint32_t transferLimit() const;
    // Whether this failure of a read of `count` elements is a device refusing a long read.
    bool longReadRefusal(const Error &error, std::uint16_t count) const;
    // One READ ELEMENT STATUS from `first`: its reply, checked, once it holds the `count`
    // elements asked for or as many as one transfer takes.
    Result<std::vector<std::uint8_t>> readChunk(ElementType type, std::uint16_t first,
                                                std::uint16_t count, bool &volumeTags,
                                                bool &deviceIds);
    Error moveError(const Error &error, std::uint16_t source, std::uint16_t destination) const;
    std::uint16_t transportAddress();

    std::unique_ptr<Transport> transport_;
    ChangerOptions options_;
    CommandRunner runner_;
    std::optional<ElementAddressAssignment> map_;
    bool volumeTagsRefused_ = false;
    bool deviceIdsRefused_ = false;
    bool longReadRefused_ = false;  // the device refused a read of more than kFallbackChunk
};

}  // namespace rsm::sg
