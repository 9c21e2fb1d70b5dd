// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice A test account with Coinbase Smart Wallet's ERC-1271 semantics (its `ERC1271.sol` and
/// `MultiOwnable.sol`), written for these tests: the hash is first made replay-safe under the
/// account's own EIP-712 domain ("Coinbase Smart Wallet", "1", chainId, this), then checked against
/// the owner at `SignatureWrapper.ownerIndex`. Owners are stored as bytes, EOAs as 32-byte
/// abi-encoded addresses; passkey (64-byte) owners are accepted as entries but never validate here.
contract CoinbaseStyleAccount {
    struct SignatureWrapper {
        uint8 ownerIndex;
        bytes signatureData;
    }

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant MESSAGE_TYPEHASH = keccak256("CoinbaseSmartWalletMessage(bytes32 hash)");
    bytes32 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    mapping(uint256 => bytes) private _ownerAtIndex;
    uint256 public nextOwnerIndex;

    error InvalidOwnerBytesLength(bytes owner);
    error InvalidEthereumAddressOwner(bytes owner);
    error Unauthorized();
    error NoOwnerAtIndex(uint256 index);

    constructor(bytes[] memory owners) {
        for (uint256 i = 0; i < owners.length; i++) _addOwner(owners[i]);
    }

    function ownerAtIndex(uint256 index) external view returns (bytes memory) {
        return _ownerAtIndex[index];
    }

    /// @notice Like Coinbase's `removeOwnerAtIndex`: callable by an EOA owner (there is no entry point here).
    function removeOwnerAtIndex(uint256 index) external {
        if (!_isOwnerAddress(msg.sender)) revert Unauthorized();
        if (_ownerAtIndex[index].length == 0) revert NoOwnerAtIndex(index);
        delete _ownerAtIndex[index];
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("Coinbase Smart Wallet"), keccak256("1"), block.chainid, address(this))
        );
    }

    /// @notice ERC-5267, as Coinbase Smart Wallet exposes it.
    function eip712Domain()
        external
        view
        returns (bytes1 fields, string memory name, string memory version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] memory extensions)
    {
        return (hex"0f", "Coinbase Smart Wallet", "1", block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    function replaySafeHash(bytes32 hash) public view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), keccak256(abi.encode(MESSAGE_TYPEHASH, hash))));
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        SignatureWrapper memory wrapper = abi.decode(signature, (SignatureWrapper));
        bytes memory owner = _ownerAtIndex[wrapper.ownerIndex];
        if (owner.length == 32) {
            uint256 word = abi.decode(owner, (uint256));
            if (word <= type(uint160).max && word != 0) {
                if (_recover(replaySafeHash(hash), wrapper.signatureData) == address(uint160(word))) return 0x1626ba7e;
            }
        }
        return 0xffffffff;
    }

    function _addOwner(bytes memory owner) private {
        if (owner.length != 32 && owner.length != 64) revert InvalidOwnerBytesLength(owner);
        if (owner.length == 32 && uint256(bytes32(owner)) > type(uint160).max) revert InvalidEthereumAddressOwner(owner);
        _ownerAtIndex[nextOwnerIndex++] = owner;
    }

    function _isOwnerAddress(address account) private view returns (bool) {
        for (uint256 i = 0; i < nextOwnerIndex; i++) {
            bytes memory owner = _ownerAtIndex[i];
            if (owner.length == 32 && abi.decode(owner, (address)) == account) return true;
        }
        return false;
    }

    /// @dev 65-byte r || s || v, v 27 or 28, low s; anything else recovers to address(0).
    function _recover(bytes32 digest, bytes memory signature) private pure returns (address) {
        if (signature.length != 65) return address(0);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        if (uint256(s) > uint256(HALF_ORDER) || (v != 27 && v != 28)) return address(0);
        return ecrecover(digest, v, r, s);
    }
}
