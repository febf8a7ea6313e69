// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartnership} from "./IPartnership.sol";

/// @title The practice registry's types, events and errors
/// @notice Shared by the contract, its callers and the indexer that rebuilds state from these events.
interface IPractices {
    /// @notice A practice's lifecycle: created Active by proposal, and Sunset (final) by proposal.
    enum PracticeStatus {
        None,
        Active,
        Sunset
    }

    /// @notice What a client gets back from {Practices-membership}.
    struct Membership {
        bool isMember;
        IPartnership.Role role;
        IPartnership.MemberStatus status;
        IPartnership.PracticeRole practiceRole;
        uint48 memberSince;
        uint48 practiceSince;
    }

    /// @notice A practice was created.
    event PracticeCreated(bytes32 indexed practiceId, string slug, string name, address indexed lead, uint48 at);
    /// @notice A practice was sunset; it keeps its history and its slug stays taken.
    event PracticeSunset(bytes32 indexed practiceId, uint48 at);
    /// @notice A practice's lead changed; a zero `newLead` means the practice has no lead (its lead departed).
    event PracticeLeadChanged(bytes32 indexed practiceId, address indexed previousLead, address indexed newLead, uint48 at);
    /// @notice `account` joined (or changed role in) a practice.
    event PracticeMemberSet(bytes32 indexed practiceId, address indexed account, IPartnership.PracticeRole role, uint48 at);
    /// @notice `account` left a practice.
    event PracticeMemberRemoved(bytes32 indexed practiceId, address indexed account, uint48 at);
    /// @notice `partner` (retiring) was succeeded by `successor` as lead of `practiceId`.
    event Succession(address indexed partner, address indexed successor, bytes32 indexed practiceId, uint48 at);

    /// @notice Only the governance timelock (or, for seating and succession, the partnership) may call this.
    error PracticesUnauthorized(address caller);
    /// @notice The slug must be 1-32 characters of a-z, 0-9 and '-'.
    error PracticeSlugInvalid(string slug);
    /// @notice A practice name must be 1-64 bytes.
    error PracticeNameInvalid(string name);
    /// @notice The slug is taken (also by a sunset practice).
    error PracticeSlugTaken(string slug);
    /// @notice No such practice, or it is sunset.
    error PracticeNotActive(bytes32 practiceId);
    /// @notice `account` is not in the practice.
    error PracticeNotMember(bytes32 practiceId, address account);
    /// @notice `account` is not an active member of the firm.
    error PracticeMemberNotActive(address account);
    /// @notice `account` is not an active partner, so it cannot lead.
    error PracticeLeadNotPartner(address account);
    /// @notice The practice role is not allowed here (the lead changes only through a lead change).
    error PracticeInvalidRole(address account, IPartnership.PracticeRole role);
}
