"""What a workspace that uses heddle must declare, in one call.

In the WORKSPACE of a project that uses heddle:

    local_repository(name = "heddle", path = "../heddle")   # or http_archive of a release tarball
    load("@heddle//tools:deps.bzl", "heddle_dependencies")
    heddle_dependencies()

heddle_dependencies() declares, unless the workspace already has them:
  - @rules_cc, @rules_java, @remote_coverage_tools: the offline stand-ins
    under heddle's third_party/ for the repositories Bazel 4.2.3's
    @bazel_tools would otherwise download (a no-op forwarding to the native
    rules; nothing is fetched);
  - @cmocka: Debian's libcmocka-dev from /usr (tools/bootstrap.sh installs it).
"""

def _stand_in_impl(ctx):
    # The stand-in's directory inside heddle, found through a file heddle's
    # root package surely has: labels resolve in heddle's repository, so this
    # works wherever the user put it.
    root = ctx.path(Label("//:WORKSPACE")).dirname
    source = root.get_child("third_party").get_child(ctx.attr.directory)
    for child in source.readdir():
        ctx.symlink(child, child.basename)

_stand_in = repository_rule(
    implementation = _stand_in_impl,
    attrs = {"directory": attr.string(mandatory = True)},
    local = True,
)

_CMOCKA_BUILD = """
# cmocka 1.1.x from Debian's libcmocka-dev. The header is found through the
# compiler's built-in /usr/include; listing it makes a missing package fail
# with a clear "missing input file" error. Linked dynamically with -lcmocka.
cc_library(
    name = "cmocka",
    hdrs = ["include/cmocka.h"],
    linkopts = ["-lcmocka"],
    visibility = ["//visibility:public"],
)
"""

def heddle_dependencies():
    """Declares the repositories heddle needs and the workspace lacks."""
    existing = native.existing_rules()
    for name in ["rules_cc", "rules_java", "remote_coverage_tools"]:
        if name not in existing:
            _stand_in(name = name, directory = name)
    if "cmocka" not in existing:
        native.new_local_repository(
            name = "cmocka",
            path = "/usr",
            build_file_content = _CMOCKA_BUILD,
        )
