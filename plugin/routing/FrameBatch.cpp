#include "FrameBatch.h"

namespace ttroute
{

FrameBatch::FrameBatch(const char* data, std::size_t size, std::uint32_t frameCount)
    : single_{const_cast<char*>(data), size}
    , spans_(&single_)
    , spanCount_(1)
    , size_(size)
    , frameCount_(frameCount)
{
}

FrameBatch::FrameBatch(const iovec* spans, std::size_t count, std::uint32_t frameCount)
    : spans_(spans)
    , spanCount_(count)
    , size_(0)
    , frameCount_(frameCount)
{
    for (std::size_t i = 0; i < count; ++i)
        size_ += spans[i].iov_len;
}

FrameBatch::FrameBatch(SharedBytes bytes, std::uint32_t frameCount)
    : single_{const_cast<char*>(bytes->data()), bytes->size()}
    , spans_(&single_)
    , spanCount_(1)
    , size_(bytes->size())
    , frameCount_(frameCount)
    , shared_(std::move(bytes))
{
}

void FrameBatch::appendTo(std::string& out) const
{
    for (std::size_t i = 0; i < spanCount_; ++i)
        out.append(static_cast<const char*>(spans_[i].iov_base), spans_[i].iov_len);
}

const SharedBytes& FrameBatch::shared()
{
    if (!shared_)
    {
        std::string bytes;
        bytes.reserve(size_);
        appendTo(bytes);
        shared_ = std::make_shared<const std::string>(std::move(bytes));
        single_ = iovec{const_cast<char*>(shared_->data()), shared_->size()};
        spans_ = &single_;
        spanCount_ = 1;
    }
    return shared_;
}

} // namespace ttroute
