#pragma once
// ProtocolSession: a raw protocol connection with hello done and a session open, as root or as
// any uid with any groups (RawClient's credential-changing connect), for the tests that send
// many requests quickly (the access matrix, hostile input). DatabaseProbe: one open connection
// to the rig's database, for the counts those tests compare before and after.
// Thread-safety: one test thread each.

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/transaction>

#include "tests/rsmd/raw_client.h"
#include "tests/rsmd/rsmd_rig.h"
#include "tests/support/serializable.h"

namespace rsm::test {

class ProtocolSession {
public:
    explicit ProtocolSession(const RsmdRig &rig)
        : client_(std::make_unique<RawClient>(rig.socket)) {
        session_ = client_->open();
    }
    ProtocolSession(const RsmdRig &rig, const Who &who)
        : client_(std::make_unique<RawClient>(rig.socket, who.uid, who.gids)) {
        if (client_->connected())
            session_ = client_->open();
    }
    // Closes the session and waits for the reply: its queued requests are cancelled before
    // the next step of the test, not at some moment after the connection goes.
    ~ProtocolSession() {
        if (!session_.empty() && !watching_)
            call("session.close");
    }
    ProtocolSession(const ProtocolSession &) = delete;
    ProtocolSession &operator=(const ProtocolSession &) = delete;

    bool open() const { return !session_.empty(); }
    const std::string &session() const { return session_; }
    RawClient &raw() { return *client_; }

    // VERB with FIELDS and this session; the reply line.
    nlohmann::json call(const std::string &verb, nlohmann::json fields = nlohmann::json::object()) {
        if (fields.is_null())
            fields = nlohmann::json::object();
        fields["verb"] = verb;
        fields["id"] = ++id_;
        if (!fields.contains("session"))
            fields["session"] = session_;
        if (verb == "watch")
            watching_ = true;
        return client_->call(fields);
    }
    // The result of VERB, which must succeed.
    nlohmann::json ok(const std::string &verb, nlohmann::json fields = nlohmann::json::object()) {
        const std::string asked = fields.dump();
        nlohmann::json r = call(verb, std::move(fields));
        INFO(verb << " " << asked << " -> " << r.dump());
        REQUIRE(r.contains("result"));
        return r["result"];
    }

private:
    std::unique_ptr<RawClient> client_;
    std::string session_;
    int id_ = 0;
    bool watching_ = false;
};

// The error name of a reply ("ERROR_ACCESS_DENIED"), or "" when it is a result.
inline std::string errorName(const nlohmann::json &reply) {
    if (!reply.is_object() || !reply.contains("error"))
        return {};
    return reply["error"].value("name", "?");
}

class DatabaseProbe {
public:
    explicit DatabaseProbe(const RsmdRig &rig) : connection_(rig.connectionString) {}

    // The first column of the first row, as text ("" for NULL or no row).
    std::string text(const std::string &query) {
        pqxx::result r =
            serializable(connection_, [&](pqxx::transaction_base &tx) { return tx.exec(query); });
        if (r.empty() || r[0].empty() || r[0][0].is_null())
            return {};
        return r[0][0].c_str();
    }
    long number(const std::string &query) { return std::stol(text(query)); }
    // Runs statements (several, separated by ';').
    void exec(const std::string &statements) {
        serializable(connection_, [&](pqxx::transaction_base &tx) { return tx.exec(statements); });
    }
    // Everything the tests can change, as one line: the row count of each model table and the
    // number of events logged, sessions aside (opening and closing sessions is what every
    // client does). Equal before and after: nothing was written.
    std::string modelState() {
        return text(
            "SELECT concat_ws(' ',"
            " 'events', (SELECT count(*) FROM event_log WHERE object_kind <> 'session'),"
            " 'media_type', (SELECT count(*) FROM media_type),"
            " 'pool', (SELECT count(*) FROM pool),"
            " 'physical_media', (SELECT count(*) FROM physical_media),"
            " 'side', (SELECT count(*) FROM side),"
            " 'logical_media', (SELECT count(*) FROM logical_media),"
            " 'library', (SELECT count(*) FROM library),"
            " 'drive', (SELECT count(*) FROM drive),"
            " 'acl', (SELECT count(*) FROM acl),"
            " 'attribute', (SELECT count(*) FROM attribute),"
            " 'library_request', (SELECT count(*) FROM library_request),"
            " 'operator_request', (SELECT count(*) FROM operator_request))");
    }

private:
    pqxx::connection connection_;
};

}  // namespace rsm::test
