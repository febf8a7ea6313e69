// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title OwnedWallet: a smart-contract wallet that signs through its owner (ERC-1271)
/// @notice For the proof-of-presence tests only: admitted as a member, it proves presence with a
/// signature its owner's key made, which only {isValidSignature} can accept (recovering the hash
/// gives the owner, never the wallet's own address).
contract OwnedWallet is IERC1271 {
    /// @notice The account whose ECDSA signatures this wallet accepts as its own.
    address public immutable owner;

    /// @param owner_ The signing key's account.
    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice ERC-1271: the magic value 0x1626ba7e when `signature` over `hash` is the owner's.
    /// @param hash The signed digest (an EIP-191 personal message's hash, for SIWE).
    /// @param signature A 65-byte ECDSA signature.
    /// @return magicValue 0x1626ba7e when valid, 0xffffffff otherwise (never reverts on a bad one).
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue) {
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecover(hash, signature);
        return error == ECDSA.RecoverError.NoError && signer == owner ? this.isValidSignature.selector : bytes4(0xffffffff);
    }
}
