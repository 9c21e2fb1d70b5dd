// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ERC7739} from "@openzeppelin/contracts/utils/cryptography/signers/draft-ERC7739.sol";
import {SignerECDSA} from "@openzeppelin/contracts/utils/cryptography/signers/SignerECDSA.sol";

/// @notice OpenZeppelin's ERC-4337 `Account` with one ECDSA signer and ERC-7739 nested signatures:
/// `isValidSignature` accepts a `PersonalSign(bytes prefixed)` or `TypedDataSign` signature made
/// under this account's EIP-712 domain (name and version below; read them with `eip712Domain()`).
contract Erc7739Account is Account, EIP712, ERC7739, SignerECDSA {
    constructor(address signerAddr) EIP712("Erc7739Account", "1") SignerECDSA(signerAddr) {}
}

/// @notice Deploys `Erc7739Account`s with CREATE2, so an account's address is known (and its
/// signatures can be checked through ERC-6492) before it exists.
contract Erc7739AccountFactory {
    event AccountCreated(address indexed account, address indexed owner, bytes32 salt);

    function getAddress(address owner, bytes32 salt) public view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(Erc7739Account).creationCode, abi.encode(owner)));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, initCodeHash)))));
    }

    /// @notice Idempotent: returns the existing account when it is already deployed.
    function createAccount(address owner, bytes32 salt) external returns (address account) {
        account = getAddress(owner, salt);
        if (account.code.length == 0) {
            new Erc7739Account{salt: salt}(owner);
            emit AccountCreated(account, owner, salt);
        }
    }
}
