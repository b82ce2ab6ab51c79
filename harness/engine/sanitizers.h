/* Which sanitizer this file is compiled under: HD_TSAN, HD_ASAN (gcc says
 * so with __SANITIZE_*__, clang with __has_feature). Code that must act
 * differently under a sanitizer (fiber switches, copying memory with
 * redzones) tests these. */
#ifndef HEDDLE_HARNESS_ENGINE_SANITIZERS_H
#define HEDDLE_HARNESS_ENGINE_SANITIZERS_H

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HD_TSAN 1
#endif
#if __has_feature(address_sanitizer)
#define HD_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) && !defined(HD_TSAN)
#define HD_TSAN 1
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(HD_ASAN)
#define HD_ASAN 1
#endif

#endif
