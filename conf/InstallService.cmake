# Installs tthost's configuration and its systemd unit; run by `cmake --install` (the
# variables ttroute_* come from the build). Where is decided now, from the prefix of this
# installation: with /usr (a Debian package) the configuration goes to /etc/ttroute and the
# unit to /lib/systemd/system, as Debian places them; under any other prefix (e.g.
# /opt/ttroute) both stay inside it. The unit's paths are those of this installation.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(confdir /etc/ttroute)
  set(unitdir /lib/systemd/system)
else()
  set(confdir "${CMAKE_INSTALL_PREFIX}/etc/ttroute")
  set(unitdir "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
endif()
file(INSTALL "${ttroute_source}/conf/tthost.properties" DESTINATION "${confdir}")

file(READ "${ttroute_source}/conf/tthost.service" unit)
string(REPLACE "/usr/local/bin/" "${CMAKE_INSTALL_PREFIX}/${ttroute_bindir}/" unit "${unit}")
string(REPLACE "/usr/local/share/doc/ttroute/" "${CMAKE_INSTALL_PREFIX}/${ttroute_docdir}/" unit "${unit}")
string(REPLACE "/etc/ttroute" "${confdir}" unit "${unit}")
file(WRITE "${ttroute_binary}/tthost.service" "${unit}")
file(INSTALL "${ttroute_binary}/tthost.service" DESTINATION "${unitdir}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
