// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Revenue share: events and errors
/// @notice Shared by the contract, its callers and the indexer that rebuilds state from these events.
interface IRevenueShare {
    /// @notice The treasury set `amount` of `token` (zero address: ETH) aside for equity holders, pro
    /// rata to balances at snapshot `snapshotId`; claims close at `claimDeadline`.
    event DistributionCreated(
        uint256 indexed distributionId,
        address indexed token,
        uint256 amount,
        uint256 snapshotId,
        uint256 supplyAtSnapshot,
        uint48 claimDeadline
    );
    /// @notice `holder` claimed `amount` of distribution `distributionId`.
    event DistributionClaimed(uint256 indexed distributionId, address indexed holder, uint256 amount);
    /// @notice What was not claimed by the deadline, `amount`, went back to the treasury.
    event DistributionReclaimed(uint256 indexed distributionId, uint256 amount);
    /// @notice The claim window for future distributions changed.
    event ClaimWindowChanged(uint48 previousWindow, uint48 newWindow);

    /// @notice Only the governance timelock may call this.
    error RevenueShareUnauthorized(address caller);
    /// @notice No distribution has that id.
    error DistributionUnknown(uint256 distributionId);
    /// @notice The amount is zero, or the ETH sent does not match it.
    error DistributionInvalidAmount(uint256 amount, uint256 sent);
    /// @notice There are no equity units to share over.
    error DistributionNoSupply();
    /// @notice `holder` already claimed this distribution.
    error DistributionAlreadyClaimed(uint256 distributionId, address holder);
    /// @notice `holder` has no share in this distribution.
    error DistributionNothingToClaim(uint256 distributionId, address holder);
    /// @notice The claim window closed at `deadline`.
    error DistributionClaimClosed(uint256 distributionId, uint48 deadline);
    /// @notice The claim window is still open until `deadline`.
    error DistributionClaimOpen(uint256 distributionId, uint48 deadline);
    /// @notice The claim window must be between one day and two years.
    error ClaimWindowInvalid(uint48 window);
    /// @notice A payment failed.
    error RevenueSharePaymentFailed(address to, uint256 amount);
}
