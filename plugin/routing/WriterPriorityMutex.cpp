#include "WriterPriorityMutex.h"

#include <system_error>

namespace ttroute
{

WriterPriorityMutex::WriterPriorityMutex()
{
    pthread_rwlockattr_t attributes;
    pthread_rwlockattr_init(&attributes);
    pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    const int error = pthread_rwlock_init(&lock_, &attributes);
    pthread_rwlockattr_destroy(&attributes);
    if (error != 0)
        throw std::system_error(error, std::generic_category(), "pthread_rwlock_init");
}

WriterPriorityMutex::~WriterPriorityMutex()
{
    pthread_rwlock_destroy(&lock_);
}

void WriterPriorityMutex::lock()
{
    pthread_rwlock_wrlock(&lock_);
}

bool WriterPriorityMutex::try_lock()
{
    return pthread_rwlock_trywrlock(&lock_) == 0;
}

void WriterPriorityMutex::unlock()
{
    pthread_rwlock_unlock(&lock_);
}

void WriterPriorityMutex::lock_shared()
{
    pthread_rwlock_rdlock(&lock_);
}

bool WriterPriorityMutex::try_lock_shared()
{
    return pthread_rwlock_tryrdlock(&lock_) == 0;
}

void WriterPriorityMutex::unlock_shared()
{
    pthread_rwlock_unlock(&lock_);
}

} // namespace ttroute
