#include "tests/rsmd/doc_examples.h"

#include <regex>
#include <sstream>
#include <stdexcept>

namespace rsm::test {

namespace {

std::string trim(const std::string &text) {
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string::npos)
        return {};
    return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// "0 6 * * *  root  rsmctl library probe lib1": the command of a crontab line.
std::optional<std::string> cronCommand(const std::string &line) {
    static const std::regex cron(R"(^\s*([0-9*/,-]+\s+){5}[a-z_][a-z0-9_-]*\s+(.+)$)");
    std::smatch match;
    if (!std::regex_match(line, match, cron))
        return std::nullopt;
    return match[2].str();
}

// "# fails: ERROR_INVALID_STATE, …" on the command's line.
std::optional<std::string> failsMark(const std::string &text) {
    static const std::regex mark(R"(#[^\n]*\bfails\b[^\n]*?\b(ERROR_[A-Z_]+))");
    std::smatch match;
    if (std::regex_search(text, match, mark))
        return match[1].str();
    return std::nullopt;
}

class Builder {
public:
    Builder(CompleteCommand complete, std::string where)
        : complete_(complete), where_(std::move(where)) {}

    void directive(const std::string &text, int line) {
        const std::string body = trim(text);
        const auto space = body.find(' ');
        const std::string word = body.substr(0, space);
        const std::string rest = space == std::string::npos ? "" : trim(body.substr(space));
        if (word == "skip") {
            next_.kind = DocBlock::Kind::Skipped;
            next_.reason = rest;
        } else if (word == "setup") {
            next_.setup.push_back(rest);
        } else if (word == "script" || word == "file") {
            next_.kind = word == "script" ? DocBlock::Kind::Script : DocBlock::Kind::File;
            next_.path = rest;
        } else if (word == "until-stopped") {
            next_.untilStoppedSeconds = std::stoi(rest);
        } else if (word == "new-library") {
            next_.newLibrary = true;
        } else {
            throw std::runtime_error(where_ + ":" + std::to_string(line) +
                                     ": unknown doc-test directive '" + word + "'");
        }
    }

    void block(const std::vector<std::pair<int, std::string>> &lines, int line) {
        DocBlock block = std::move(next_);
        next_ = DocBlock{};
        block.line = line;
        if (block.kind == DocBlock::Kind::Script || block.kind == DocBlock::Kind::File) {
            for (const auto &[number, text] : lines)
                block.body += text + "\n";
        } else if (block.kind == DocBlock::Kind::Commands) {
            split(block, lines);
        }
        blocks_.push_back(std::move(block));
    }

    std::vector<DocBlock> take() { return std::move(blocks_); }

private:
    // Lines into commands: a command goes on until the shell has all of it (a pipe at the end
    // of a line, an open quote); comment lines and blank lines are not commands.
    void split(DocBlock &block, const std::vector<std::pair<int, std::string>> &lines) {
        std::string pending;
        int first = 0;
        for (const auto &[number, raw] : lines) {
            std::string text = raw;
            if (pending.empty()) {
                const std::string bare = trim(text);
                if (bare.empty() || bare.front() == '#')
                    continue;
                if (auto command = cronCommand(text))
                    text = *command;
                first = number;
            }
            pending += pending.empty() ? text : "\n" + text;
            if (complete_(pending)) {
                block.commands.push_back({pending, first, failsMark(pending)});
                pending.clear();
            }
        }
        if (!pending.empty())
            throw std::runtime_error(where_ + ":" + std::to_string(first) +
                                     ": the command is not finished at the end of its block");
    }

    CompleteCommand complete_;
    std::string where_;
    DocBlock next_;
    std::vector<DocBlock> blocks_;
};

std::vector<std::string> lines(const std::string &text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        result.push_back(line);
    return result;
}

}  // namespace

std::string unRoff(const std::string &line) {
    static const std::vector<std::pair<std::string, std::string>> escapes = {
        {"\\-", "-"}, {"\\(aq", "'"}, {"\\(dq", "\""}, {"\\(em", "—"}, {"\\&", ""}, {"\\e", "\\"}};
    std::string out;
    for (std::size_t i = 0; i < line.size();) {
        bool replaced = false;
        for (const auto &[from, to] : escapes)
            if (line.compare(i, from.size(), from) == 0) {
                out += to;
                i += from.size();
                replaced = true;
                break;
            }
        if (!replaced)
            out += line[i++];
    }
    return out;
}

std::vector<DocBlock> markdownExamples(const std::string &text, CompleteCommand complete) {
    static const std::regex directive(R"(^\s*<!--\s*doc-test:(.*)-->\s*$)");
    Builder builder(complete, "README.md");
    const auto all = lines(text);
    for (std::size_t i = 0; i < all.size(); ++i) {
        std::smatch match;
        if (std::regex_match(all[i], match, directive)) {
            builder.directive(match[1].str(), static_cast<int>(i + 1));
        } else if (all[i] == "```sh") {
            const int start = static_cast<int>(i + 2);
            std::vector<std::pair<int, std::string>> block;
            for (++i; i < all.size() && all[i] != "```"; ++i)
                block.emplace_back(static_cast<int>(i + 1), all[i]);
            builder.block(block, start);
        }
    }
    return builder.take();
}

std::vector<DocBlock> manPageExamples(const std::string &text, CompleteCommand complete) {
    static const std::regex directive(R"(^\.\\"\s*doc-test:(.*)$)");
    Builder builder(complete, "man page");
    const auto all = lines(text);
    bool inExamples = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const std::string &line = all[i];
        if (line.rfind(".SH", 0) == 0) {
            inExamples = line.find("EXAMPLE") != std::string::npos;
            continue;
        }
        if (!inExamples)
            continue;
        std::smatch match;
        if (std::regex_match(line, match, directive)) {
            builder.directive(match[1].str(), static_cast<int>(i + 1));
        } else if (line == ".EX" || line == ".nf") {
            const std::string end = line == ".EX" ? ".EE" : ".fi";
            const int start = static_cast<int>(i + 2);
            std::vector<std::pair<int, std::string>> block;
            for (++i; i < all.size() && all[i] != end; ++i)
                if (all[i].empty() || all[i].front() != '.')  // .RS, .RE: layout
                    block.emplace_back(static_cast<int>(i + 1), unRoff(all[i]));
            builder.block(block, start);
        }
    }
    return builder.take();
}

}  // namespace rsm::test
