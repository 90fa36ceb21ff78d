# -DPF_MUTANTS=ON (the mutants and mutants-libfuzzer presets): model/*.c is
# replaced by its mutant schemata, written by ci/measure/mutagen.py into
# ${PF_MUTANTS_DIR} at build time, plus the switch that reads PF_MUTANT.
# Every mutant that does not compile with this compiler (under the project's
# warnings) is left out there and listed in mutants.tsv.
if(PF_MUTANT)
  message(FATAL_ERROR "PF_MUTANTS and PF_MUTANT (a hand-written mutant) do not mix")
endif()
# python3-clang-14 is a Debian package, for Debian's python3.
set(pf_python "")
foreach(py /usr/bin/python3 python3)
  execute_process(COMMAND ${py} -c "import clang.cindex" RESULT_VARIABLE rc
                  OUTPUT_QUIET ERROR_QUIET)
  if(rc EQUAL 0)
    set(pf_python ${py})
    break()
  endif()
endforeach()
if(NOT pf_python)
  message(FATAL_ERROR "PF_MUTANTS needs python3-clang-14 (ci/install-deps.sh --mutation)")
endif()
set(PF_MUTANTS_DIR ${CMAKE_BINARY_DIR}/mutants)
set(pf_gen ${CMAKE_SOURCE_DIR}/ci/measure/mutagen.py)
set(pf_outputs ${PF_MUTANTS_DIR}/pf_mutant_switch.c ${PF_MUTANTS_DIR}/mutants.tsv)
set(pf_schemata "")
foreach(src ${PF_MODEL_SOURCES})
  get_filename_component(name ${src} NAME)
  list(APPEND pf_schemata ${PF_MUTANTS_DIR}/${name})
endforeach()
file(GLOB pf_model_headers ${CMAKE_SOURCE_DIR}/model/*.h)
set(pf_cflags "")
foreach(f -std=gnu11 ${PF_WARNING_FLAGS} -I${CMAKE_SOURCE_DIR}/model)
  list(APPEND pf_cflags --cflag=${f})
endforeach()
add_custom_command(OUTPUT ${pf_schemata} ${pf_outputs}
  COMMAND ${pf_python} ${pf_gen} --out ${PF_MUTANTS_DIR} --root ${CMAKE_SOURCE_DIR}
          --cc ${CMAKE_C_COMPILER} ${pf_cflags} ${PF_MODEL_SOURCES}
  DEPENDS ${PF_MODEL_SOURCES} ${pf_model_headers} ${pf_gen}
  COMMENT "Mutant schemata of model/*.c in ${PF_MUTANTS_DIR}"
  VERBATIM)
set(PF_MODEL_SOURCES ${pf_schemata} ${PF_MUTANTS_DIR}/pf_mutant_switch.c)
# The schemata copy of an "edges" model file (fuzz/instrumentation.list) is
# instrumented like the file. A "none" model file would need its copy in
# the ignorelist, which is written before this point: refuse it.
foreach(src ${PF_EDGE_ONLY_FILES})
  if(src MATCHES "^${CMAKE_SOURCE_DIR}/model/([^/]+)$")
    list(APPEND PF_EDGE_ONLY_FILES ${PF_MUTANTS_DIR}/${CMAKE_MATCH_1})
  endif()
endforeach()
foreach(src ${PF_NO_FEEDBACK_FILES})
  if(src MATCHES "^${CMAKE_SOURCE_DIR}/model/")
    message(FATAL_ERROR "PF_MUTANTS: ${src} is \"none\" in fuzz/instrumentation.list; its schemata copy would be instrumented")
  endif()
endforeach()
