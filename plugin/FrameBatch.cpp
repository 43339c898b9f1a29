#include "FrameBatch.h"

namespace ttroute
{

FrameBatch::FrameBatch(const char* data, std::size_t size, std::uint32_t frameCount)
    : data_(data)
    , size_(size)
    , frameCount_(frameCount)
{
}

FrameBatch::FrameBatch(SharedBytes bytes, std::uint32_t frameCount)
    : data_(bytes->data())
    , size_(bytes->size())
    , frameCount_(frameCount)
    , shared_(std::move(bytes))
{
}

const SharedBytes& FrameBatch::shared()
{
    if (!shared_)
    {
        shared_ = std::make_shared<const std::string>(data_, size_);
        data_ = shared_->data();
    }
    return shared_;
}

} // namespace ttroute
