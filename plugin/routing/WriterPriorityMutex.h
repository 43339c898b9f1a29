#pragma once

#include <pthread.h>

namespace ttroute
{

/// A shared mutex under which a waiting writer holds new readers back.
///
/// std::shared_mutex (glibc's default rwlock) lets readers in while a writer waits, so a
/// steady stream of status queries could keep presence updates waiting indefinitely. Meets
/// the SharedMutex requirements, so std::unique_lock and std::shared_lock work with it.
class WriterPriorityMutex
{
public:
    WriterPriorityMutex();
    ~WriterPriorityMutex();
    WriterPriorityMutex(const WriterPriorityMutex&) = delete;
    WriterPriorityMutex& operator=(const WriterPriorityMutex&) = delete;

    /// Takes the lock exclusively.
    void lock();
    /// Takes the lock exclusively if that is possible at once.
    bool try_lock();
    /// Releases an exclusive hold.
    void unlock();
    /// Takes the lock shared with other readers.
    void lock_shared();
    /// Takes the lock shared if that is possible at once.
    bool try_lock_shared();
    /// Releases a shared hold.
    void unlock_shared();

private:
    pthread_rwlock_t lock_;
};

} // namespace ttroute
