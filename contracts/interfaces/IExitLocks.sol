// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The part of {FirmGovernor} the withdrawal desk ({Withdrawals}) calls.
interface IExitLocks {
    /// @notice Clears `member`'s locks on proposals that are over; returns how many stay open.
    function settleExitLocks(address member, uint256[] calldata proposalIds) external returns (uint256 open);
}
