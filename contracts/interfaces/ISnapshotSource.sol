// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The part of {Partnership} that distributions read: balance snapshots.
interface ISnapshotSource {
    /// @notice Freezes every balance now; returns the snapshot id and the total supply then.
    function takeSnapshot() external returns (uint256 snapshotId, uint256 supply);
    /// @notice `account`'s balance at snapshot `snapshotId`, which the caller took.
    function snapshotBalanceOf(address account, uint256 snapshotId) external view returns (uint256);
}
