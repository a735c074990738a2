# tests/scripts: checks of the project's own scripts (issue 12): how
# scripts/test.sh counts (scripts/test-lib.sh, fed fake results), stages that
# cannot run fail with their reason, scripts/demo.sh from a clone without
# build/, every tool and strongSwan plugin of the bed comes from bed.txt,
# e2e scenario names resolve to one file of scenarios/FAMILY/.
# tests/stages/fresh-root.sh (run by scripts/test.sh) is the real
# fresh-machine run.
SCRIPT_TESTS = tests/scripts/check_test_count.sh tests/scripts/check_stages_cannot_run.sh \
	tests/scripts/check_demo_fresh_clone.sh tests/scripts/check_bed_packages.sh \
	tests/scripts/check_e2e_names.sh
TESTS += $(SCRIPT_TESTS)
# The files, not the folder: an out-of-tree build has its own tests/scripts/
# (logs), which a folder in EXTRA_DIST would carry into the tarball too.
EXTRA_DIST += $(SCRIPT_TESTS) tests/stages/fresh-root.sh
# Nothing is compiled in tests/scripts/, so an out-of-tree build has no such
# folder for the test driver's .log/.trs files: make it first.
tests/scripts/check_test_count.sh.log tests/scripts/check_stages_cannot_run.sh.log \
	tests/scripts/check_demo_fresh_clone.sh.log tests/scripts/check_bed_packages.sh.log \
	tests/scripts/check_e2e_names.sh.log: \
	tests/scripts/$(am__dirstamp)
tests/scripts/$(am__dirstamp):
	@$(MKDIR_P) tests/scripts
	@: >tests/scripts/$(am__dirstamp)
DISTCLEANFILES = tests/scripts/$(am__dirstamp)
