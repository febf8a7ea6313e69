// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The withdrawal desk's events and errors
/// @notice Shared by {Withdrawals}, its callers and the indexer that rebuilds state from these events.
interface IWithdrawals {
    /// @notice `member`'s share of the treasury in `token` (0: ETH), `amount` as it arrived, is theirs to claim.
    event WithdrawalCredited(address indexed member, address indexed token, uint256 amount);
    /// @notice The treasury could not pay `member`'s share in `token` (a token that reverts): the
    /// withdrawal went on without it, and the share stays in the treasury.
    event WithdrawalTokenSkipped(address indexed member, address indexed token);
    /// @notice `member` claimed `amount` of `token` (0: ETH).
    event WithdrawalClaimed(address indexed member, address indexed token, uint256 amount);
    /// @notice `token` was listed (or delisted) among the treasury's ERC-20s that withdrawals pay a share of.
    event TreasuryTokenListed(address indexed token, bool listed);

    /// @notice Only the governance timelock may call this.
    error WithdrawalsUnauthorized(address caller);
    /// @notice `member` still holds `open` For votes on fund-moving proposals that are not over: no
    /// one may vote to spend the treasury and leave with a share of it first.
    error WithdrawalLockedByVotes(address member, uint256 open);
    /// @notice Nothing is owed to `member` in `token`.
    error WithdrawalNothingOwed(address member, address token);
    /// @notice The token is the zero address, already in the state asked, or the list is full.
    error TreasuryTokenInvalid(address token);
    /// @notice Only the treasury sends ETH here.
    error WithdrawalsUnexpectedEth(address sender);
    /// @notice A payment failed.
    error WithdrawalPaymentFailed(address to, uint256 amount);
}
