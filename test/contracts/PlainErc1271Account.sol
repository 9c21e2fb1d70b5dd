// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The plainest ERC-1271 account: valid when one EOA owner signed the hash itself. No
/// replay protection across accounts or chains, so an owner's personal_sign of a text is also this
/// account's signature of it.
contract PlainErc1271Account {
    bytes32 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    address public owner;

    error Unauthorized();

    constructor(address owner_) {
        owner = owner_;
    }

    function transferOwnership(address newOwner) external {
        if (msg.sender != owner) revert Unauthorized();
        owner = newOwner;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 65) return 0xffffffff;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(s) > uint256(HALF_ORDER) || (v != 27 && v != 28)) return 0xffffffff;
        address recovered = ecrecover(hash, v, r, s);
        return recovered != address(0) && recovered == owner ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }
}
