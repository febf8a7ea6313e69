// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRevenueShare} from "./interfaces/IRevenueShare.sol";
import {ISnapshotSource} from "./interfaces/ISnapshotSource.sol";

/// @title RevenueShare: pro-rata distributions of the treasury's revenue to equity holders
/// @notice A passed distribution proposal moves an amount of ETH or of an ERC-20 (a stablecoin, say)
/// from the treasury into this contract and freezes every equity balance at that moment. Each holder
/// then claims their share, pro rata to their balance (not their votes: a partner on leave still earns
/// their share). After the claim window, anyone can send what is left back to the treasury.
/// @dev Deployed by {Partnership}'s constructor, so each knows the other without any setter.
contract RevenueShare is IRevenueShare, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The shortest claim window: long enough for every holder to claim.
    uint48 public constant MIN_CLAIM_WINDOW = 1 days;
    /// @notice The longest claim window: short enough not to strand the treasury's funds.
    uint48 public constant MAX_CLAIM_WINDOW = 730 days;

    /// @notice Where balances come from.
    ISnapshotSource public immutable partnership;
    /// @notice The governance timelock, which is also the treasury.
    address public immutable governance;

    /// @dev Two slots: token 160 | snapshotId 24 | claimDeadline 40 (32 spare) ;
    /// amount 96 | claimed 96 | supply 64. A claim reads the first and updates the second.
    struct Distribution {
        address token;
        uint24 snapshotId;
        uint40 claimDeadline;
        uint96 amount;
        uint96 claimed;
        uint64 supply;
    }

    /// @notice How long holders may claim, for distributions created from now on.
    uint48 public claimWindow;
    /// @notice The number of distributions created; ids run from 1.
    uint256 public distributionCount;

    mapping(uint256 distributionId => Distribution) private _distributions;
    mapping(uint256 distributionId => mapping(address holder => bool)) private _claimed;

    modifier onlyGovernance() {
        if (msg.sender != governance) revert RevenueShareUnauthorized(msg.sender);
        _;
    }

    constructor(ISnapshotSource partnership_, address governance_, uint48 claimWindow_) {
        partnership = partnership_;
        governance = governance_;
        _setClaimWindow(claimWindow_);
    }

    /// @notice Sets `amount` of `token` (zero address: ETH, sent with the call) aside for the holders
    /// of equity right now, claimable for {claimWindow}. For an ERC-20 the amount recorded is the one
    /// that arrived.
    /// @dev The treasury approves this contract first for an ERC-20 (the CLI puts both calls in one
    /// proposal). Emits {DistributionCreated}.
    /// Requirements: caller is the timelock; `amount` is not zero and fits 96 bits; the ETH sent equals
    /// `amount` for ETH and is zero otherwise; some equity exists.
    function createDistribution(
        address token,
        uint256 amount
    ) external payable onlyGovernance nonReentrant returns (uint256 distributionId) {
        uint256 expectedValue = token == address(0) ? amount : 0;
        if (amount == 0 || amount > type(uint96).max || msg.value != expectedValue) {
            revert DistributionInvalidAmount(amount, msg.value);
        }
        // A fee-on-transfer token delivers less than `amount`: the distribution is what arrived.
        if (token != address(0)) {
            uint256 before = IERC20(token).balanceOf(address(this));
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
            amount = IERC20(token).balanceOf(address(this)) - before;
            if (amount == 0) revert DistributionInvalidAmount(amount, msg.value);
        }
        (uint256 snapshotId, uint256 supply) = partnership.takeSnapshot();
        if (supply == 0) revert DistributionNoSupply();
        distributionId = ++distributionCount;
        uint48 deadline = uint48(block.timestamp) + claimWindow;
        _distributions[distributionId] = Distribution({
            token: token,
            snapshotId: uint24(snapshotId),
            claimDeadline: uint40(deadline),
            amount: uint96(amount),
            claimed: 0,
            supply: uint64(supply)
        });
        emit DistributionCreated(distributionId, token, amount, snapshotId, supply, deadline);
    }

    /// @notice Claims the caller's share of distribution `distributionId`.
    function claim(uint256 distributionId) external returns (uint256) {
        return _claim(distributionId, msg.sender);
    }

    /// @notice Pays `holder` their share of distribution `distributionId`; anyone may call it, the
    /// funds always go to the holder.
    function claimFor(uint256 distributionId, address holder) external returns (uint256) {
        return _claim(distributionId, holder);
    }

    /// @notice Returns what was not claimed by the deadline to the treasury. Anyone may call it.
    /// @dev Emits {DistributionReclaimed}. Requirements: the claim window has closed; something is left.
    function reclaim(uint256 distributionId) external nonReentrant returns (uint256 rest) {
        Distribution storage d = _distributions[distributionId];
        if (d.supply == 0) revert DistributionUnknown(distributionId);
        if (block.timestamp <= d.claimDeadline) revert DistributionClaimOpen(distributionId, uint48(d.claimDeadline));
        rest = d.amount - d.claimed;
        if (rest == 0) revert DistributionNothingToClaim(distributionId, governance);
        d.claimed = d.amount;
        emit DistributionReclaimed(distributionId, rest);
        _pay(d.token, governance, rest);
    }

    /// @notice Changes the claim window for distributions created from now on.
    /// @dev Emits {ClaimWindowChanged}. Requirements: caller is the timelock; the window is within bounds.
    function setClaimWindow(uint48 newWindow) external onlyGovernance {
        _setClaimWindow(newWindow);
    }

    /// @notice A distribution's terms and progress.
    function distribution(
        uint256 distributionId
    )
        external
        view
        returns (address token, uint256 amount, uint256 claimed, uint256 snapshotId, uint256 supply, uint48 claimDeadline)
    {
        Distribution memory d = _distributions[distributionId];
        return (d.token, d.amount, d.claimed, d.snapshotId, d.supply, uint48(d.claimDeadline));
    }

    /// @notice Whether `holder` has claimed distribution `distributionId`.
    function hasClaimed(uint256 distributionId, address holder) external view returns (bool) {
        return _claimed[distributionId][holder];
    }

    /// @notice What `holder` may claim from distribution `distributionId` now (0 once claimed or closed).
    function claimable(uint256 distributionId, address holder) external view returns (uint256) {
        Distribution memory d = _distributions[distributionId];
        if (d.supply == 0 || _claimed[distributionId][holder] || block.timestamp > d.claimDeadline) return 0;
        return _shareOf(d, holder);
    }

    /// @dev Accounting, then the event, then the payment, under a reentrancy guard: a hostile token or
    /// receiver that calls back finds the claim already recorded and the guard closed.
    function _claim(uint256 distributionId, address holder) private nonReentrant returns (uint256 share) {
        // One read of the terms: each further field read of storage would cost a warm load.
        Distribution memory terms = _distributions[distributionId];
        if (terms.supply == 0) revert DistributionUnknown(distributionId);
        if (block.timestamp > terms.claimDeadline) revert DistributionClaimClosed(distributionId, uint48(terms.claimDeadline));
        if (_claimed[distributionId][holder]) revert DistributionAlreadyClaimed(distributionId, holder);
        share = _shareOf(terms, holder);
        if (share == 0) revert DistributionNothingToClaim(distributionId, holder);
        _claimed[distributionId][holder] = true;
        // Σ shares <= amount: each share rounds down and Σ balances at the snapshot = supply, so the
        // sum stays within the 96 bits `amount` fits in.
        unchecked {
            _distributions[distributionId].claimed = terms.claimed + uint96(share);
        }
        emit DistributionClaimed(distributionId, holder, share);
        _pay(terms.token, holder, share);
    }

    function _shareOf(Distribution memory d, address holder) private view returns (uint256) {
        return (uint256(d.amount) * partnership.snapshotBalanceOf(holder, d.snapshotId)) / d.supply;
    }

    function _pay(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            (bool ok, ) = payable(to).call{value: amount}("");
            if (!ok) revert RevenueSharePaymentFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    function _setClaimWindow(uint48 newWindow) private {
        if (newWindow < MIN_CLAIM_WINDOW || newWindow > MAX_CLAIM_WINDOW) revert ClaimWindowInvalid(newWindow);
        emit ClaimWindowChanged(claimWindow, newWindow);
        claimWindow = newWindow;
    }
}
