# Writes OUTPUT, a C++ source defining `const char* SYMBOL()` (in namespace ttroute) that
# returns the content of INPUT, so a file served by the plugin is part of the library:
#   cmake -DINPUT=page.html -DOUTPUT=page.cpp -DSYMBOL=statusPage -P EmbedFile.cmake
file(READ "${INPUT}" content)
set(delimiter "ttroute_embedded")
string(FIND "${content}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains )${delimiter}\", which would end the raw string literal")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by EmbedFile.cmake: edit that file, not this one.\n"
  "namespace ttroute\n{\n\nconst char* ${SYMBOL}()\n{\n    return R\"${delimiter}(${content})${delimiter}\";\n}\n\n} // namespace ttroute\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
