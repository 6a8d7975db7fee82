#pragma once
// Uuid: the identity of every rsm object (libraries, media, sides, LMIDs, pools, sessions…).
// A 16-byte value; parses and prints the canonical 8-4-4-4-12 form. random() makes a version 4
// UUID from the operating system's random source.
// Thread-safety: a value; random() is safe to call from any thread.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rsm {

class Uuid {
public:
    constexpr Uuid() = default;
    explicit constexpr Uuid(std::array<std::uint8_t, 16> bytes) : bytes_(bytes) {}

    static Uuid random();
    // Canonical form, case-insensitive; nullopt for anything else.
    static std::optional<Uuid> parse(std::string_view text);

    bool isNil() const;
    std::string toString() const;
    const std::array<std::uint8_t, 16> &bytes() const { return bytes_; }

    friend bool operator==(const Uuid &, const Uuid &) = default;
    friend auto operator<=>(const Uuid &, const Uuid &) = default;

private:
    std::array<std::uint8_t, 16> bytes_{};
};

}  // namespace rsm

template <>
struct std::hash<rsm::Uuid> {
    std::size_t operator()(const rsm::Uuid &u) const noexcept {
        std::size_t h = 0;
        for (auto b : u.bytes())
            h = h * 131 + b;
        return h;
    }
};
