#pragma once

// The commands targeted relay addresses by their users (protocol.md §6, beyond), each with a
// builder that puts the user it must reach in the field that decides, so that the targeted-relay
// unit tests can walk them all; and MSG_DATA, whose message type decides whether it is targeted.

#include "IM.Message.pb.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace targetedtest
{

/// IMMsgData from `from` to `to` (a user, or a group for group types), message `n`, single text.
IM::Message::IMMsgData msgDataBody(std::uint32_t from, std::uint32_t to, std::uint32_t n);

/// MSG_DATA of msgDataBody() with message type `msgType` (0x01 single text, 0x02 single audio,
/// 0x11 and 0x12 group) and `seq`.
std::string msgData(std::uint32_t from, std::uint32_t to, std::uint32_t n, std::uint32_t msgType = 0x01, std::uint16_t seq = 0);

/// A targeted command: how to build it with `target` in the field that decides where it goes
/// and `other` in its other user-ish field, and whether `other` is a user it goes to as well.
struct TargetedCommand
{
    /// Its command id.
    std::uint16_t commandId;
    /// Its name in failure messages.
    std::string name;
    /// Builds a frame of it; `n` varies the other fields, so frames built with different numbers differ.
    std::function<std::string(std::uint32_t target, std::uint32_t other, std::uint32_t n)> build;
    /// True when `other` is addressed too: MSG_DATA's and SWITCH_P2P_CMD's from_user_id.
    bool otherIsTarget;
};

/// Every targeted command, MSG_DATA twice (single text and single audio).
const std::vector<TargetedCommand>& targetedCommands();

/// The one of targetedCommands() named `name`.
const TargetedCommand& commandNamed(const std::string& name);

} // namespace targetedtest
