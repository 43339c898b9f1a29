#include "ChunkedBodyReader.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>

#include <algorithm>

namespace ttctl
{
namespace
{

/// The most read at once: a large chunk is handed on in pieces of this size.
constexpr std::size_t kPiece = 64 * 1024;

/// `line` without its CR and any chunk extension (";name=value").
std::string sizeField(std::string line)
{
    line = line.substr(0, line.find(';'));
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!line.empty() && isSpace(line.back()))
        line.pop_back();
    return line;
}

} // namespace

ChunkedBodyReader::ChunkedBodyReader(std::istream& in)
    : in_(in)
{
}

bool ChunkedBodyReader::read(const std::function<bool(const std::string& piece)>& sink)
{
    std::string line;
    std::string piece;
    for (;;)
    {
        if (!std::getline(in_, line))
            return false;
        const std::string size = sizeField(line);
        Poco::UInt64 left = 0;
        if (size.empty() || size.size() > 15 || !Poco::NumberParser::tryParseHex64(size, left))
            throw Poco::DataFormatException("not a chunk size: '" + size + "'");
        if (left == 0)
        {
            // The last chunk; what follows is an optional trailer up to an empty line.
            while (std::getline(in_, line) && !sizeField(line).empty())
            {
            }
            return true;
        }
        while (left > 0)
        {
            piece.resize(static_cast<std::size_t>(std::min<Poco::UInt64>(left, kPiece)));
            in_.read(piece.data(), static_cast<std::streamsize>(piece.size()));
            const auto got = static_cast<std::size_t>(in_.gcount());
            if (got > 0 && !sink(piece.substr(0, got)))
                return true;
            if (got < piece.size())
                return false;
            left -= got;
        }
        if (!std::getline(in_, line)) // the CRLF after the chunk's data
            return false;
    }
}

} // namespace ttctl
