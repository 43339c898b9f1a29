# Debian packages of ttroute, made by CPack's DEB generator from this build:
#
#   ttroute      tthost, ttctl, ttbench, the ttroute plugin (/usr/lib/<multiarch>/ttroute/), the
#                configuration /etc/ttroute/tthost.properties (a conffile: an operator's edits
#                survive upgrades) and the systemd unit tthost.service, enabled and started on
#                installation and running as the system user ttroute, created then
#   libtthost0   the shared library libtthost
#   ttroute-dev  the SDK: headers, the CMake package (find_package(ttroute)), tthost.pc
#
# Made by `cpack -G DEB` in a build configured with -DCMAKE_INSTALL_PREFIX=/usr, for Debian's
# multiarch library directory (scripts/build.sh does), e.g. (cd build/release && cpack -G DEB).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ttroute)
set(CPACK_PACKAGE_VENDOR "ttroute")
set(CPACK_PACKAGE_CONTACT "ttroute developers <ttroute@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TeamTalk route server as a plugin of a Poco server host")
set(CPACK_PACKAGE_INSTALL_DIRECTORY ttroute)
set(CPACK_STRIP_FILES ON)
# The configuration and the unit go to absolute places (/etc, /lib/systemd): install the
# whole tree below a staging DESTDIR.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_COMPONENTS_ALL runtime runtime_debian library library_debian development development_debian)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(ttroute_library_depends "libtthost${PROJECT_VERSION_MAJOR} (= ${PROJECT_VERSION}-1)")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libtthost is packaged alongside (libtthost0): dpkg-shlibdeps finds it in the build tree.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/lib)

set(CPACK_DEBIAN_SERVICE_PACKAGE_NAME ttroute)
set(CPACK_DEBIAN_SERVICE_PACKAGE_SECTION net)
set(CPACK_DEBIAN_SERVICE_PACKAGE_DEPENDS "${ttroute_library_depends}, adduser, init-system-helpers (>= 1.54)")
set(CPACK_DEBIAN_SERVICE_DESCRIPTION "TeamTalk route server (tthost with the ttroute plugin)
 The route server of the TeamTalk instant-messaging system, wire-compatible
 with stock TeamTalk msg servers: it tracks who is online where, answers
 status queries, announces status changes and relays messages between msg
 servers. tthost runs it as a systemd service (tthost.service) configured
 by /etc/ttroute/tthost.properties; ttctl operates it from the command line.")
set(CPACK_DEBIAN_SERVICE_PACKAGE_CONTROL_EXTRA
  ${CMAKE_CURRENT_LIST_DIR}/conffiles ${CMAKE_CURRENT_LIST_DIR}/postinst ${CMAKE_CURRENT_LIST_DIR}/prerm ${CMAKE_CURRENT_LIST_DIR}/postrm)
set(CPACK_DEBIAN_SERVICE_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

set(CPACK_DEBIAN_LIBRARY_PACKAGE_NAME libtthost0)
set(CPACK_DEBIAN_LIBRARY_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIBRARY_DESCRIPTION "Poco plugin host library of ttroute
 libtthost loads server plugins with Poco::ClassLoader and serves them with
 Poco::Net::TCPServer, as a subsystem of any Poco application.")
# Its shlibs file (packages linking libtthost depend on it) and the ldconfig trigger, which
# replaces the ldconfig calls CPack would write into maintainer scripts.
configure_file(${CMAKE_CURRENT_LIST_DIR}/shlibs.in ${PROJECT_BINARY_DIR}/debian/shlibs @ONLY)
set(CPACK_DEBIAN_LIBRARY_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/debian/shlibs ${CMAKE_CURRENT_LIST_DIR}/triggers)

set(CPACK_DEBIAN_SDK_PACKAGE_NAME ttroute-dev)
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS "${ttroute_library_depends}, libpoco-dev")
set(CPACK_DEBIAN_SDK_DESCRIPTION "SDK of ttroute: embed the route server in a Poco application
 Headers of libtthost (PluginSubsystem, AdminSubsystem, ConfigFileWatcher
 and the plugin contract), its CMake package (find_package(ttroute CONFIG))
 and its pkg-config file (tthost.pc).")

include(CPack)
cpack_add_component_group(service)
cpack_add_component_group(library)
cpack_add_component_group(sdk)
cpack_add_component(library GROUP library)
cpack_add_component(library_debian GROUP library)
cpack_add_component(runtime GROUP service)
cpack_add_component(runtime_debian GROUP service)
cpack_add_component(development GROUP sdk)
cpack_add_component(development_debian GROUP sdk)

# What Debian asks of every package besides its files: a copyright file and a changelog, in
# /usr/share/doc/<package>/ (components installed only into packages).
string(TIMESTAMP ttroute_package_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${CMAKE_CURRENT_LIST_DIR}/changelog.in ${PROJECT_BINARY_DIR}/debian/changelog.Debian @ONLY)
execute_process(COMMAND gzip -9nf ${PROJECT_BINARY_DIR}/debian/changelog.Debian)
foreach(package_component ttroute:runtime_debian libtthost0:library_debian ttroute-dev:development_debian)
  string(REPLACE ":" ";" pair ${package_component})
  list(GET pair 0 package)
  list(GET pair 1 component)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/copyright ${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package} COMPONENT ${component} EXCLUDE_FROM_ALL)
endforeach()
