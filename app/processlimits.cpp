#include "app/processlimits.h"

#include <sys/resource.h>

namespace DocRay {

void limitAddressSpace(quint64 megabytes)
{
    if (megabytes == 0)
        return;
    const rlimit limit{rlim_t(megabytes) << 20, rlim_t(megabytes) << 20};
    setrlimit(RLIMIT_AS, &limit);
}

} // namespace DocRay
