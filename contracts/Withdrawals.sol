// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IExitLocks} from "./interfaces/IExitLocks.sol";
import {ITreasury} from "./interfaces/ITreasury.sol";
import {IWithdrawals} from "./interfaces/IWithdrawals.sol";
import {IWithdrawingPartnership} from "./interfaces/IWithdrawingPartnership.sol";

/// @title Withdrawals: any member may leave with their share of the treasury (rage-quit)
/// @notice As partnership law lets any partner withdraw and be bought out, a member can leave on their
/// own at any time with {ragequit}: their vested units are burned for the same fraction of the
/// treasury's ETH and of each ERC-20 governance has listed, credited here and claimed with {claim}
/// (pull payment). Unvested units are forfeited as in a revocation.
/// @dev Moloch's guard: a member whose ballot stands For a proposal that moves treasury funds and is
/// not yet executed, defeated or expired cannot withdraw, so no one can vote to spend and leave with
/// the money first. A member who voted Against a capture, or is its subject, can therefore leave
/// during the timelock delay with their share. A share is the member's vested units over every unit
/// outstanding (granted and not forfeited, vested or not, released or not): colleagues' unvested and
/// unreleased units are claims on the same treasury.
contract Withdrawals is IWithdrawals, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The most ERC-20s a withdrawal pays a share of: bounds a withdrawal's cost.
    uint256 public constant MAX_TREASURY_TOKENS = 16;

    /// @notice The equity ledger whose units are burned.
    IWithdrawingPartnership public immutable partnership;
    /// @notice The governor that knows who voted to spend.
    IExitLocks public immutable governor;
    /// @notice The treasury, and the governance timelock: the only account allowed to list tokens.
    address public immutable treasury;

    address[] private _tokens;
    mapping(address member => mapping(address token => uint256)) private _owed;

    modifier onlyGovernance() {
        if (msg.sender != treasury) revert WithdrawalsUnauthorized(msg.sender);
        _;
    }

    constructor(IWithdrawingPartnership partnership_, IExitLocks governor_, address treasury_) {
        partnership = partnership_;
        governor = governor_;
        treasury = treasury_;
    }

    /// @notice Accepts ETH from the treasury only (a withdrawal's ETH share).
    receive() external payable {
        if (msg.sender != treasury) revert WithdrawalsUnexpectedEth(msg.sender);
    }

    /// @notice Withdraws the caller from the firm: releases `finishedProposals` from the caller's exit
    /// locks (proposals they voted For that are over), then burns their vested units for their share
    /// of the treasury, credited to them here. An active member leaves the firm as Retired.
    /// @dev Emits {IPartnership-MemberWithdrew} there, then {WithdrawalCredited} (or
    /// {WithdrawalTokenSkipped}) per asset. Requirements: the caller was admitted; no For ballot of
    /// theirs stands on a live fund-moving proposal.
    function ragequit(uint256[] calldata finishedProposals) external nonReentrant returns (uint64 units) {
        uint256 open = governor.settleExitLocks(msg.sender, finishedProposals);
        if (open != 0) revert WithdrawalLockedByVotes(msg.sender, open);
        uint64 totalUnits;
        (units, totalUnits) = partnership.withdrawMember(msg.sender);
        if (units == 0) return 0;
        _credit(msg.sender, address(0), units, totalUnits);
        address[] memory tokens = _tokens;
        for (uint256 i = 0; i < tokens.length; ++i) _credit(msg.sender, tokens[i], units, totalUnits);
    }

    /// @notice Pays the caller what they were credited in `token` (0: ETH). Emits {WithdrawalClaimed}.
    function claim(address token) external nonReentrant returns (uint256 amount) {
        amount = _owed[msg.sender][token];
        if (amount == 0) revert WithdrawalNothingOwed(msg.sender, token);
        _owed[msg.sender][token] = 0;
        emit WithdrawalClaimed(msg.sender, token, amount);
        if (token == address(0)) {
            (bool ok, ) = payable(msg.sender).call{value: amount}("");
            if (!ok) revert WithdrawalPaymentFailed(msg.sender, amount);
        } else {
            IERC20(token).safeTransfer(msg.sender, amount);
        }
    }

    /// @notice Lists or delists an ERC-20 of the treasury that withdrawals pay a share of.
    /// @dev Emits {TreasuryTokenListed}. Requirements: caller is the timelock; `token` is not zero and
    /// not already in the asked state; at most {MAX_TREASURY_TOKENS} listed.
    function setTreasuryToken(address token, bool listed) external onlyGovernance {
        if (token == address(0)) revert TreasuryTokenInvalid(token);
        uint256 n = _tokens.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_tokens[i] != token) continue;
            if (listed) revert TreasuryTokenInvalid(token);
            _tokens[i] = _tokens[n - 1];
            _tokens.pop();
            emit TreasuryTokenListed(token, false);
            return;
        }
        if (!listed || n >= MAX_TREASURY_TOKENS) revert TreasuryTokenInvalid(token);
        _tokens.push(token);
        emit TreasuryTokenListed(token, true);
    }

    /// @notice The ERC-20s withdrawals pay a share of (ETH always).
    function treasuryTokens() external view returns (address[] memory) {
        return _tokens;
    }

    /// @notice What `member` may claim in `token` (0: ETH).
    function owed(address member, address token) external view returns (uint256) {
        return _owed[member][token];
    }

    /// @dev Moves `units / totalUnits` of the treasury's `token` here and credits what arrived (less than
    /// asked for a fee-on-transfer token). A token that reverts is skipped, so that no token can block
    /// an exit; its share stays in the treasury.
    function _credit(address member, address token, uint64 units, uint64 totalUnits) private {
        uint256 balance;
        if (token == address(0)) {
            balance = treasury.balance;
        } else {
            try IERC20(token).balanceOf(treasury) returns (uint256 b) {
                balance = b;
            } catch {
                emit WithdrawalTokenSkipped(member, token);
                return;
            }
        }
        uint256 amount = Math.mulDiv(balance, units, totalUnits);
        if (amount == 0) return;
        uint256 before = _balance(token);
        // A token that cannot be paid out (paused, blacklisting the timelock) must not block the exit.
        bool paid;
        try ITreasury(treasury).payOut(token, amount) {
            paid = true;
        } catch {
            emit WithdrawalTokenSkipped(member, token);
        }
        if (!paid) return;
        uint256 received = _balance(token) - before;
        _owed[member][token] += received;
        emit WithdrawalCredited(member, token, received);
    }

    function _balance(address token) private view returns (uint256) {
        return token == address(0) ? address(this).balance : IERC20(token).balanceOf(address(this));
    }
}
