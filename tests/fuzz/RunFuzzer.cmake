# ctest fuzz_router: runs ttroute_fuzz for SECONDS over a fresh writable corpus in WORK_DIR, seeded
# (read-only) from SEED_CORPUS and REGRESSIONS. Crash inputs land in WORK_DIR/artifacts, never in
# the source tree. Invoked as cmake -DFUZZER=... -DSECONDS=... -DWORK_DIR=... -DSEED_CORPUS=...
# -DREGRESSIONS=... -DDICTIONARY=... -P RunFuzzer.cmake
foreach(var FUZZER SECONDS WORK_DIR SEED_CORPUS REGRESSIONS DICTIONARY)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "RunFuzzer.cmake: ${var} not given")
  endif()
endforeach()
if(NOT EXISTS "${FUZZER}")
  message(FATAL_ERROR "${FUZZER} is not built: build the ttroute_fuzz_clang target first")
endif()

# libFuzzer adds what it finds to the first directory; the committed ones are only read.
file(REMOVE_RECURSE "${WORK_DIR}/corpus")
file(MAKE_DIRECTORY "${WORK_DIR}/corpus" "${WORK_DIR}/artifacts")
file(GLOB artifacts_before "${WORK_DIR}/artifacts/*")

set(ENV{UBSAN_OPTIONS} "print_stacktrace=1:halt_on_error=1")
execute_process(
  COMMAND "${FUZZER}"
    -max_total_time=${SECONDS}
    -rss_limit_mb=2048
    -timeout=10
    -print_final_stats=1
    -dict=${DICTIONARY}
    -artifact_prefix=${WORK_DIR}/artifacts/
    "${WORK_DIR}/corpus" "${SEED_CORPUS}" "${REGRESSIONS}"
  RESULT_VARIABLE result)

if(NOT result EQUAL 0)
  file(GLOB artifacts_after "${WORK_DIR}/artifacts/*")
  if(artifacts_before)
    list(REMOVE_ITEM artifacts_after ${artifacts_before})
  endif()
  string(REPLACE ";" "\n  " found "${artifacts_after}")
  message(FATAL_ERROR "ttroute_fuzz failed (${result}). New inputs in ${WORK_DIR}/artifacts:\n  ${found}\n"
    "Reproduce with: ttroute_fuzz_replay <input> (normal build) or ${FUZZER} <input>; minimise with "
    "${FUZZER} -minimize_crash=1 -runs=10000 <input>; once understood, add it to tests/fuzz/regressions/.")
endif()
