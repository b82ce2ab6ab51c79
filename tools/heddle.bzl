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

def heddle_program_test(
        name,
        srcs,
        expect = "pass",
        budget = 1000,
        dfs = "complete",
        instrument = False,
        sv_comp = False,
        spurious_wakeups = False,
        symmetry = False,
        native_srcs = [],
        native_test = True,
        args = [],
        size = "small",
        tags = [],
        **kwargs):
    """A whole C program, unmodified, as heddle tests (harness/posix).

    expect: "pass", or the bug kinds that count as finding its bug
    ("deadlock", "crash|assertion"). budget: executions random and pct get to
    find it. dfs: "complete" (dfs must explore every schedule) or a number of
    executions when the tree is too large. instrument: compile the program so
    that every shared memory access and C11 atomic is a switch point
    (harness/instrument; the deterministic test is skipped under the
    sanitizer configs, whose runtimes define the same functions). sv_comp: the
    program calls SV-COMP's __VERIFIER_* functions (its native build links
    //harness/posix:sv_comp_native). spurious_wakeups: condition variables may
    wake without a signal (an explorable choice). symmetry: dfs explores one
    order of twin threads (created one after another with the same start
    routine and argument) while none has started; it assumes the program does
    not tell them apart by identity (README). native_srcs: more
    sources for the native builds only. native_test = False: a correct
    program is not run natively (its correctness rests on heddle's
    semantics, e.g. SV-COMP's atomic sections). args: the program's own arguments.

    Gives :NAME (the program explored by random, pct and dfs, checked against
    `expect`), :NAME_native (the same sources built natively with -pthread)
    and, for a correct program, :NAME_native_test, which runs it on real
    threads (under --config=tsan, ThreadSanitizer checks it).
    """
    header = Label("//harness/posix:heddle_posix.h")
    header_path = (header.workspace_root + "/" if header.workspace_root else "") + header.package + "/" + header.name
    copts = ["-include", header_path, "-g"]
    if instrument:
        copts = copts + _when_sanitized([], ["-fsanitize=thread"])
    if sv_comp:
        copts = copts + ["-finstrument-functions"]  # __VERIFIER_atomic_* functions (sv-comp.h)
    native.cc_binary(
        name = name + "_program.so",
        srcs = srcs,
        copts = copts,
        linkshared = True,
        linkopts = ["-Wl,-Bsymbolic"],
        deps = [Label("//harness/posix:heddle_posix_header")],
        testonly = True,
    )
    extra = [Label("//harness/posix:sv_comp_native")] if sv_comp else []
    native.cc_binary(
        name = name + "_native",
        srcs = srcs + native_srcs,
        linkopts = ["-pthread"],
        deps = extra,
        testonly = True,
    )
    if expect == "pass" and native_test:
        native.cc_test(
            name = name + "_native_test",
            srcs = srcs + native_srcs,
            linkopts = ["-pthread"],
            deps = extra,
            args = args,
            size = size,
            tags = tags,
        )
    runner_deps = [Label("//harness/posix:program_test_main")]
    if instrument:
        runner_deps = _when_sanitized(
            [Label("//harness/posix:program_test_skip")],
            runner_deps + [Label("//harness/instrument")],
        )
    native.cc_test(
        name = name,
        deps = runner_deps,
        data = [":" + name + "_program.so"],
        args = (["--spurious-wakeups"] if spurious_wakeups else []) +
               (["--instrumented"] if instrument else []) +
               (["--symmetry"] if symmetry else []) +
               ["$(location :" + name + "_program.so)", name, expect, str(budget), str(dfs)] +
               (["--"] + args if args else []),
        size = size,
        tags = tags + ["heddle_program"],
        **kwargs
    )
