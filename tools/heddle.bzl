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

def _when_sanitized(sanitized, plain):
    return select({
        str(Label("//tools:sanitized_tsan")): sanitized,
        str(Label("//tools:sanitized_asan")): sanitized,
        "//conditions:default": plain,
    })

def heddle_test(
        name,
        srcs,
        deps = [],
        backends = ["det", "pthread"],
        size = "small",
        tags = [],
        instrumented_srcs = [],
        instrumented_hdrs = [],
        **kwargs):
    """One cmocka test per backend (see the file's comment).

    instrumented_srcs: code under test compiled for heddle's instrumentation
    runtime (-fsanitize=thread, linked with //harness/instrument instead of
    TSan's runtime): every plain access to shared memory and every C11 atomic
    in it is a switch point (harness/instrument/instrument.h). Such a test is
    deterministic-only; under --config=tsan or asan the sources are built
    plainly and the test is compiled with HD_NO_INSTRUMENT defined, so it can
    say it skipped.
    """
    tests = []
    extra_deps = []
    if instrumented_srcs:
        if backends != ["det"]:
            fail("heddle_test: instrumented_srcs needs backends = [\"det\"]")
        native.cc_library(
            name = name + "_instrumented",
            testonly = True,
            srcs = instrumented_srcs,
            hdrs = instrumented_hdrs,
            copts = _when_sanitized([], ["-fsanitize=thread", "-g"]),
            deps = deps + [Label("//primitives")],
        )
        extra_deps = [":" + name + "_instrumented"] + _when_sanitized([], [Label("//harness/instrument")])
        kwargs["local_defines"] = kwargs.get("local_defines", []) + _when_sanitized(["HD_NO_INSTRUMENT"], [])
        # Global variables get their names from the dynamic symbol table.
        kwargs["linkopts"] = kwargs.get("linkopts", []) + ["-rdynamic"]
    for backend in backends:
        test_name = name + "_" + backend
        native.cc_test(
            name = test_name,
            srcs = srcs,
            deps = deps + extra_deps + _BACKEND_DEPS[backend] + [Label("//primitives"), "@cmocka"],
            size = size,
            tags = tags + ["heddle_" + backend],
            **kwargs
        )
        tests.append(":" + test_name)
    native.test_suite(name = name, tests = tests, tags = tags)
