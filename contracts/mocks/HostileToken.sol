// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @notice What {HostileToken} calls on the recipient it targets, as an ERC-777 style hook would.
interface ITokenReceivedHook {
    /// @notice Called by the token after `amount` was moved from `from` to the implementer.
    function onTokenReceived(address from, uint256 amount) external;
}

/// @title HostileToken: an ERC-20 whose transfers call back into the contract paying out
/// @notice For reentrancy tests only. When `watched` sends tokens, the token (as msg.sender) makes one
/// armed call to `reentryTarget` and records whether it went through; it can also call a hook on one
/// recipient, so a hostile recipient contract gets a turn in the middle of the transfer. A failed
/// reentry is recorded, not bubbled, so the outer transfer completes and the test can check balances.
contract HostileToken is ERC20 {
    /// @notice The reentry call was made by anyone but the token itself.
    error HostileTokenOnlySelf(address caller);

    /// @notice The account whose outgoing transfers trigger the reentry.
    address public watched;
    /// @notice Where the reentry call goes.
    address public reentryTarget;
    /// @notice The calldata of the reentry call.
    bytes public reentryData;
    /// @notice The recipient whose {ITokenReceivedHook-onTokenReceived} is called after each transfer to it.
    address public hookRecipient;
    /// @notice How many reentries were tried, and how many went through.
    uint256 public reentryAttempts;
    /// @notice How many reentries went through (the tests expect none).
    uint256 public reentrySuccesses;
    /// @notice The revert data of the last failed reentry.
    bytes public lastReentryError;

    bool private _attacking;

    constructor() ERC20("Hostile Token", "HOST") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the reentry: transfers out of `watched_` call `target` with `data`.
    function arm(address watched_, address target, bytes calldata data) external {
        watched = watched_;
        reentryTarget = target;
        reentryData = data;
    }

    /// @notice Calls {ITokenReceivedHook-onTokenReceived} on `recipient` after each transfer to it.
    function setHookRecipient(address recipient) external {
        hookRecipient = recipient;
    }

    /// @notice Makes the reentry call; external so that a failure can be caught and recorded.
    function reenter(address target, bytes calldata data) external {
        if (msg.sender != address(this)) revert HostileTokenOnlySelf(msg.sender);
        Address.functionCall(target, data);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (_attacking) return;
        _attacking = true;
        if (from != address(0) && from == watched && reentryTarget != address(0)) {
            ++reentryAttempts;
            try this.reenter(reentryTarget, reentryData) {
                ++reentrySuccesses;
            } catch (bytes memory reason) {
                lastReentryError = reason;
            }
        }
        if (to != address(0) && to == hookRecipient) ITokenReceivedHook(to).onTokenReceived(from, value);
        _attacking = false;
    }
}
