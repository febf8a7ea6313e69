// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The part of {Partnership} the withdrawal desk ({Withdrawals}) calls.
interface IWithdrawingPartnership {
    /// @notice Burns `account`'s units and ends their membership; returns the units and the total before.
    function withdrawMember(address account) external returns (uint64 units, uint64 totalUnits);
}
