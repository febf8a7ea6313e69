// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title FirmTimelock: the treasury, and the only account that can change the firm
/// @notice OpenZeppelin's TimelockController, plus one rule-bound way out of the treasury: a
/// withdrawing member's pro-rata share, paid to the withdrawal desk. At deployment the governor becomes
/// the only proposer, canceller and executor, the withdrawal desk gets {WITHDRAWAL_ROLE}, and the
/// deployer renounces the admin role, so no one holds a back door: every other change passes a vote
/// and waits out the delay. It receives the firm's ETH and ERC-20 revenue.
contract FirmTimelock is TimelockController {
    using SafeERC20 for IERC20;

    /// @notice The role of the withdrawal desk, which computes a withdrawing member's share and asks for it.
    bytes32 public constant WITHDRAWAL_ROLE = keccak256("WITHDRAWAL_ROLE");

    /// @notice `amount` of `token` (0: ETH) left the treasury for the withdrawal desk `desk`.
    event WithdrawalPaidOut(address indexed desk, address indexed token, uint256 amount);
    /// @notice The ETH payment to the withdrawal desk failed.
    error TimelockPayOutFailed(address desk, uint256 amount);

    /// @param minDelay Seconds between queueing and executing a proposal.
    /// @param admin The deployer, only long enough to hand the roles out, then renounced.
    constructor(uint256 minDelay, address admin) TimelockController(minDelay, new address[](0), new address[](0), admin) {}

    /// @notice Pays `amount` of `token` (0: ETH) to the calling withdrawal desk.
    /// @dev The desk alone decides the amount, by its fixed pro-rata rule; the role itself is granted
    /// and revoked only by a vote. Emits {WithdrawalPaidOut}.
    function payOut(address token, uint256 amount) external onlyRole(WITHDRAWAL_ROLE) {
        emit WithdrawalPaidOut(msg.sender, token, amount);
        if (token == address(0)) {
            (bool ok, ) = payable(msg.sender).call{value: amount}("");
            if (!ok) revert TimelockPayOutFailed(msg.sender, amount);
        } else {
            IERC20(token).safeTransfer(msg.sender, amount);
        }
    }
}
