// Any bytes as what a client sends on a connection, cut into pieces at
// places the input chooses: the request framer must frame or refuse, the
// same way however the bytes arrive, and never read out of bounds.
#include "httpserver/requestframer.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

struct Run {
    bool refused = false;
    int status = 0;
    int completed = 0;
};

Run frame(const QByteArray &bytes, size_t pieceSeed)
{
    using namespace DocRay;
    RequestFramer framer(FramingLimits{4096, 512, 16}, [](const RequestHead &head) -> std::optional<FramingRefusal> {
        if (head.path().contains("deny"))
            return FramingRefusal{403, QStringLiteral("no")};
        return std::nullopt;
    });
    Run run;
    qsizetype at = 0;
    size_t seed = pieceSeed;
    while (at < bytes.size()) {
        seed = seed * 1103515245u + 12345u;
        const qsizetype piece = qMin<qsizetype>(bytes.size() - at, 1 + qsizetype(seed % 97));
        if (const std::optional<FramingRefusal> refusal = framer.feed(QByteArrayView(bytes.constData() + at, piece))) {
            run.refused = true;
            run.status = refusal->status;
            // Refused for good: the same answer again.
            if (framer.feed("GET / HTTP/1.1\r\n\r\n")->status != refusal->status)
                std::abort();
            break;
        }
        at += piece;
    }
    run.completed = framer.completedRequests();
    return run;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const Run whole = frame(bytes, 0);
    const Run pieces = frame(bytes, size);
    // How the bytes were cut must not change what was framed or refused.
    if (whole.refused != pieces.refused || whole.status != pieces.status || whole.completed != pieces.completed)
        std::abort();
    return 0;
}
