"""Bazel macros for heddle tests.

heddle_test(name, srcs, ...) turns one cmocka test source into one test per
backend, so a BUILD file needs one line per test:

    load("@heddle//tools:heddle.bzl", "heddle_test")   # "//tools:heddle.bzl" inside heddle
    heddle_test(name = "lock_test", srcs = ["lock_test.c"])

gives :lock_test_det (the deterministic harness, explores schedules),
:lock_test_pthread (real threads; run it with --config=tsan for
ThreadSanitizer) and the test_suite :lock_test with both. The source uses
tests/support/both.h to run its bodies. backends = ["det"] or ["pthread"]
restricts it; a source that calls the harness API directly (hd_explore)
uses backends = ["det"].
"""

# Label() resolves in heddle's own repository, so the macro works from any
# workspace that depends on heddle (a plain "//harness" would name the
# caller's package).
_BACKEND_DEPS = {
    "det": [Label("//tests/support:both_det"), Label("//harness"), Label("//harness/cmocka")],
    "pthread": [Label("//tests/support:both_pthread"), Label("//primitives:pthread_backend")],
}

def heddle_test(name, srcs, deps = [], backends = ["det", "pthread"], size = "small", tags = [], **kwargs):
    tests = []
    for backend in backends:
        test_name = name + "_" + backend
        native.cc_test(
            name = test_name,
            srcs = srcs,
            deps = deps + _BACKEND_DEPS[backend] + [Label("//primitives"), "@cmocka"],
            size = size,
            tags = tags + ["heddle_" + backend],
            **kwargs
        )
        tests.append(":" + test_name)
    native.test_suite(name = name, tests = tests, tags = tags)
