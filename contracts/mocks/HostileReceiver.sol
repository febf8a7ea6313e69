// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title HostileReceiver: a member account that calls back when it is paid
/// @notice For reentrancy tests only. Admitted as a member, it claims revenue and withdraws buy-backs
/// through {execute}; when it receives ETH, or a {HostileToken} hook fires, it makes one armed call
/// (claim again, withdraw again, release...) and records whether it went through. A failed reentry is
/// recorded, not bubbled, so the outer payment completes and the test can check balances.
contract HostileReceiver {
    /// @notice The reentry call was made by anyone but this contract itself.
    error HostileReceiverOnlySelf(address caller);

    /// @notice Where the reentry call goes.
    address public reentryTarget;
    /// @notice The calldata of the reentry call.
    bytes public reentryData;
    /// @notice How many reentries were tried.
    uint256 public reentryAttempts;
    /// @notice How many reentries went through (the tests expect none).
    uint256 public reentrySuccesses;
    /// @notice The revert data of the last failed reentry.
    bytes public lastReentryError;
    /// @notice ETH received so far.
    uint256 public ethReceived;

    bool private _attacking;

    /// @notice Receives ETH and tries the armed reentry.
    // A complex receive() is the point of this contract: it is the attacker.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        ethReceived += msg.value;
        _attack();
    }

    /// @notice Arms the reentry made when this contract is paid.
    function arm(address target, bytes calldata data) external {
        reentryTarget = target;
        reentryData = data;
    }

    /// @notice Calls `target` with `data` as this contract (to claim, withdraw, declare leave...).
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        return Address.functionCall(target, data);
    }

    /// @notice The hook a {HostileToken} calls after paying this contract: tries the armed reentry.
    function onTokenReceived(address, uint256) external {
        _attack();
    }

    /// @notice Makes the reentry call; external so that a failure can be caught and recorded.
    function reenter(address target, bytes calldata data) external {
        if (msg.sender != address(this)) revert HostileReceiverOnlySelf(msg.sender);
        Address.functionCall(target, data);
    }

    function _attack() private {
        if (_attacking || reentryTarget == address(0)) return;
        _attacking = true;
        ++reentryAttempts;
        try this.reenter(reentryTarget, reentryData) {
            ++reentrySuccesses;
        } catch (bytes memory reason) {
            lastReentryError = reason;
        }
        _attacking = false;
    }
}
