// A pool of persistent worker threads for the engine's parallel loops. A network's forward
// pass at batch 1 is ~50 short parallel regions (0.2–1 ms each); waking a sleeping thread for
// each one costs tens of microseconds, and an even split then waits for the late starter.
// Pool threads spin for a short while after each job (SEMROB_SPIN_NS), so the next region
// starts them within a fraction of a microsecond, then sleep on a futex.
//
// Each pool thread has a mailbox of its own (job, generation); a run writes only the mailboxes
// of the threads it uses and waits for all of them before it returns, so a mailbox is never
// rewritten while its thread still reads it. One run at a time owns the pool; a nested or
// concurrent call gets 0 back and runs its loop another way.
#include "CKernels.h"

#if defined(__linux__)
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define SPIN_PAUSE() _mm_pause()
#else
#define SPIN_PAUSE() ((void)0)
#endif

#define MAX_POOL_THREADS 255
// How long an idle pool thread keeps polling its mailbox before it sleeps.
#define SEMROB_SPIN_NS 500000L

typedef struct {
  _Alignas(64) atomic_uint generation;  // bumped by the run that posts a job
  atomic_int sleeping;                   // 1 while the thread waits on the futex
  void (*body)(void *context, long index);
  void *context;
  long index;
} mailbox;

static mailbox mailboxes[MAX_POOL_THREADS];
static _Alignas(64) atomic_long pending;  // posted jobs not yet finished
static atomic_int owned;  // 1 while a run owns the pool
static long started;      // pool threads running (changed only by the owner)
static atomic_int spins;  // 1 when the pool threads fit on the cores beside the caller

static long nanoseconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000L + t.tv_nsec;
}

// Waits until the mailbox's generation differs from `seen`: polls, then sleeps on the futex.
static unsigned wait_for_job(mailbox *box, unsigned seen) {
  if (atomic_load_explicit(&spins, memory_order_relaxed)) {
    long start = nanoseconds();
    for (long round = 1;; round++) {
      unsigned generation = atomic_load_explicit(&box->generation, memory_order_acquire);
      if (generation != seen) return generation;
      SPIN_PAUSE();
      if (round % 256 == 0 && nanoseconds() - start > SEMROB_SPIN_NS) break;
    }
  }
  for (;;) {
    // Announce the sleep before the last look; the poster bumps the generation before it reads
    // `sleeping` (both sequentially consistent), so one of the two sees the other.
    atomic_store(&box->sleeping, 1);
    unsigned generation = atomic_load(&box->generation);
    if (generation == seen) {
      syscall(SYS_futex, &box->generation, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
      generation = atomic_load(&box->generation);
    }
    atomic_store(&box->sleeping, 0);
    if (generation != seen) return generation;
  }
}

static void *pool_thread(void *argument) {
  mailbox *box = argument;
  // A mailbox's thread starts before the first post to it and never exits, so it has seen
  // generation 0 (reading the generation here could already see the first post).
  unsigned seen = 0;
  for (;;) {
    seen = wait_for_job(box, seen);
    box->body(box->context, box->index);
    atomic_fetch_sub_explicit(&pending, 1, memory_order_release);
  }
  return NULL;
}

// Starts pool threads until `needed` run; returns how many run (fewer if creation failed).
// Whether idle threads poll is decided only when the pool grows (the core count is read from
// sysfs, too slow for every parallel region).
static long grow(long needed) {
  if (needed > MAX_POOL_THREADS) needed = MAX_POOL_THREADS;
  if (started >= needed) return started;
  while (started < needed) {
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&thread, &attributes, pool_thread, &mailboxes[started]);
    pthread_attr_destroy(&attributes);
    if (failed) break;
    started++;
  }
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  atomic_store_explicit(&spins, started + 1 <= cores, memory_order_relaxed);
  return started;
}

int semrob_workers_run(long count, void (*body)(void *context, long index), void *context) {
  if (count <= 1) {
    if (count == 1) body(context, 0);
    return 1;
  }
  int expected = 0;
  if (!atomic_compare_exchange_strong(&owned, &expected, 1)) return 0;
  if (grow(count - 1) < count - 1) {
    atomic_store(&owned, 0);
    return 0;
  }
  atomic_store_explicit(&pending, count - 1, memory_order_relaxed);
  for (long t = 0; t < count - 1; t++) {
    mailbox *box = &mailboxes[t];
    box->body = body;
    box->context = context;
    box->index = t + 1;
    atomic_fetch_add(&box->generation, 1);
    if (atomic_load(&box->sleeping)) {
      syscall(SYS_futex, &box->generation, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    }
  }
  body(context, 0);
  for (long round = 1; atomic_load_explicit(&pending, memory_order_acquire) > 0; round++) {
    SPIN_PAUSE();
    if (round % 4096 == 0) sched_yield();
  }
  atomic_store(&owned, 0);
  return 1;
}

#else

int semrob_workers_run(long count, void (*body)(void *context, long index), void *context) {
  (void)count;
  (void)body;
  (void)context;
  return 0;
}

#endif
