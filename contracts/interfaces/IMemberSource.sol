// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartnership} from "./IPartnership.sol";

/// @notice The part of {Partnership} that the practice registry reads.
interface IMemberSource {
    /// @notice A member's record, with its status as of now.
    function memberOf(
        address account
    )
        external
        view
        returns (
            IPartnership.Role role,
            IPartnership.MemberStatus status,
            uint256 index,
            uint48 since,
            uint48 partnerSince,
            uint48 partnerUntil
        );

    /// @notice Whether `account` is a partner who is active or on leave now.
    function isActivePartner(address account) external view returns (bool);
}
