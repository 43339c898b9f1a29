// Replays inputs through the fuzz target without libFuzzer: ttroute_fuzz_replay FILE|DIR...
// Every regular file named (directories: every regular file in them, sorted, skipping
// README* and dot files) is fed once to LLVMFuzzerTestOneInput. A broken promise aborts, as
// it does under the fuzzer; otherwise it prints how many inputs passed and exits 0. Built
// with the normal compiler and sanitizers, so the seed corpus and the regressions run in
// every ctest run, with or without clang.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace
{

namespace fs = std::filesystem;

bool isInput(const fs::path& path)
{
    const std::string name = path.filename().string();
    return name.rfind("README", 0) != 0 && name.rfind('.', 0) != 0;
}

bool replay(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return false;
    }
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", path.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i)
    {
        const fs::path arg = argv[i];
        std::error_code error;
        if (fs::is_directory(arg, error))
        {
            std::vector<fs::path> files;
            for (const auto& entry : fs::directory_iterator(arg))
                if (entry.is_regular_file() && isInput(entry.path()))
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto& file : files)
            {
                if (!replay(file))
                    return 1;
                ++replayed;
            }
        }
        else
        {
            if (!replay(arg))
                return 1;
            ++replayed;
        }
    }
    std::printf("%zu inputs replayed without a finding\n", replayed);
    return 0;
}
