/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const xmtp = $root.xmtp = (() => {

    const xmtp = {};

    xmtp.message_contents = (function() {

        const message_contents = {};

        message_contents.Signature = (function() {

            const Signature = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            Signature.prototype.ecdsaCompact = null;
            Signature.prototype.walletEcdsaCompact = null;
            Signature.prototype.smartAccount = null;

            let $oneOfFields;

            $Object.defineProperty(Signature.prototype, "union", {
                get: $util.oneOfGetter($oneOfFields = ["ecdsaCompact", "walletEcdsaCompact", "smartAccount"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            Signature.create = function(properties) {
                return new Signature(properties);
            };

            Signature.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.ecdsaCompact != null && $Object.hasOwnProperty.call(message, "ecdsaCompact"))
                    $root.xmtp.message_contents.Signature.ECDSACompact.encode(message.ecdsaCompact, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.walletEcdsaCompact != null && $Object.hasOwnProperty.call(message, "walletEcdsaCompact"))
                    $root.xmtp.message_contents.Signature.WalletECDSACompact.encode(message.walletEcdsaCompact, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.smartAccount != null && $Object.hasOwnProperty.call(message, "smartAccount"))
                    $root.xmtp.message_contents.SmartAccountSignature.encode(message.smartAccount, writer.uint32(802).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            Signature.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.Signature();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.ecdsaCompact = $root.xmtp.message_contents.Signature.ECDSACompact.decode(reader, reader.size(), $undefined, _depth + 1, message.ecdsaCompact);
                            message.union = "ecdsaCompact";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.walletEcdsaCompact = $root.xmtp.message_contents.Signature.WalletECDSACompact.decode(reader, reader.size(), $undefined, _depth + 1, message.walletEcdsaCompact);
                            message.union = "walletEcdsaCompact";
                            continue;
                        }
                    case 100: {
                            if (wireType !== 2)
                                break;
                            message.smartAccount = $root.xmtp.message_contents.SmartAccountSignature.decode(reader, reader.size(), $undefined, _depth + 1, message.smartAccount);
                            message.union = "smartAccount";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            Signature.ECDSACompact = (function() {

                const ECDSACompact = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                ECDSACompact.prototype.bytes = $util.newBuffer([]);
                ECDSACompact.prototype.recovery = 0;

                ECDSACompact.create = function(properties) {
                    return new ECDSACompact(properties);
                };

                ECDSACompact.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.bytes != null && $Object.hasOwnProperty.call(message, "bytes") && message.bytes.length)
                        writer.uint32(10).bytes(message.bytes);
                    if (message.recovery != null && $Object.hasOwnProperty.call(message, "recovery") && message.recovery !== 0)
                        writer.uint32(16).uint32(message.recovery);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                ECDSACompact.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.xmtp.message_contents.Signature.ECDSACompact();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.bytes = value;
                                else
                                    delete message.bytes;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.recovery = value;
                                else
                                    delete message.recovery;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return ECDSACompact;
            })();

            Signature.WalletECDSACompact = (function() {

                const WalletECDSACompact = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                WalletECDSACompact.prototype.bytes = $util.newBuffer([]);
                WalletECDSACompact.prototype.recovery = 0;

                WalletECDSACompact.create = function(properties) {
                    return new WalletECDSACompact(properties);
                };

                WalletECDSACompact.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.bytes != null && $Object.hasOwnProperty.call(message, "bytes") && message.bytes.length)
                        writer.uint32(10).bytes(message.bytes);
                    if (message.recovery != null && $Object.hasOwnProperty.call(message, "recovery") && message.recovery !== 0)
                        writer.uint32(16).uint32(message.recovery);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                WalletECDSACompact.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.xmtp.message_contents.Signature.WalletECDSACompact();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.bytes = value;
                                else
                                    delete message.bytes;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.recovery = value;
                                else
                                    delete message.recovery;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return WalletECDSACompact;
            })();

            return Signature;
        })();

        message_contents.UnsignedPublicKey = (function() {

            const UnsignedPublicKey = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            UnsignedPublicKey.prototype.createdNs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            UnsignedPublicKey.prototype.secp256k1Uncompressed = null;

            let $oneOfFields;

            $Object.defineProperty(UnsignedPublicKey.prototype, "union", {
                get: $util.oneOfGetter($oneOfFields = ["secp256k1Uncompressed"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            UnsignedPublicKey.create = function(properties) {
                return new UnsignedPublicKey(properties);
            };

            UnsignedPublicKey.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.createdNs != null && $Object.hasOwnProperty.call(message, "createdNs") && (typeof message.createdNs === "object" ? message.createdNs.low || message.createdNs.high : message.createdNs !== 0))
                    writer.uint32(8).uint64(message.createdNs);
                if (message.secp256k1Uncompressed != null && $Object.hasOwnProperty.call(message, "secp256k1Uncompressed"))
                    $root.xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.encode(message.secp256k1Uncompressed, writer.uint32(26).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            UnsignedPublicKey.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.UnsignedPublicKey();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.createdNs = value;
                            else
                                delete message.createdNs;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.secp256k1Uncompressed = $root.xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.decode(reader, reader.size(), $undefined, _depth + 1, message.secp256k1Uncompressed);
                            message.union = "secp256k1Uncompressed";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            UnsignedPublicKey.Secp256k1Uncompressed = (function() {

                const Secp256k1Uncompressed = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                Secp256k1Uncompressed.prototype.bytes = $util.newBuffer([]);

                Secp256k1Uncompressed.create = function(properties) {
                    return new Secp256k1Uncompressed(properties);
                };

                Secp256k1Uncompressed.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.bytes != null && $Object.hasOwnProperty.call(message, "bytes") && message.bytes.length)
                        writer.uint32(10).bytes(message.bytes);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                Secp256k1Uncompressed.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.bytes = value;
                                else
                                    delete message.bytes;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Secp256k1Uncompressed;
            })();

            return UnsignedPublicKey;
        })();

        message_contents.SignedPublicKey = (function() {

            const SignedPublicKey = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            SignedPublicKey.prototype.keyBytes = $util.newBuffer([]);
            SignedPublicKey.prototype.signature = null;

            SignedPublicKey.create = function(properties) {
                return new SignedPublicKey(properties);
            };

            SignedPublicKey.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.keyBytes != null && $Object.hasOwnProperty.call(message, "keyBytes") && message.keyBytes.length)
                    writer.uint32(10).bytes(message.keyBytes);
                if (message.signature != null && $Object.hasOwnProperty.call(message, "signature"))
                    $root.xmtp.message_contents.Signature.encode(message.signature, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            SignedPublicKey.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.SignedPublicKey();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.keyBytes = value;
                            else
                                delete message.keyBytes;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.signature = $root.xmtp.message_contents.Signature.decode(reader, reader.size(), $undefined, _depth + 1, message.signature);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SignedPublicKey;
        })();

        message_contents.SignedPublicKeyBundle = (function() {

            const SignedPublicKeyBundle = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            SignedPublicKeyBundle.prototype.identityKey = null;
            SignedPublicKeyBundle.prototype.preKey = null;

            SignedPublicKeyBundle.create = function(properties) {
                return new SignedPublicKeyBundle(properties);
            };

            SignedPublicKeyBundle.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.identityKey != null && $Object.hasOwnProperty.call(message, "identityKey"))
                    $root.xmtp.message_contents.SignedPublicKey.encode(message.identityKey, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.preKey != null && $Object.hasOwnProperty.call(message, "preKey"))
                    $root.xmtp.message_contents.SignedPublicKey.encode(message.preKey, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            SignedPublicKeyBundle.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.SignedPublicKeyBundle();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.identityKey = $root.xmtp.message_contents.SignedPublicKey.decode(reader, reader.size(), $undefined, _depth + 1, message.identityKey);
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.preKey = $root.xmtp.message_contents.SignedPublicKey.decode(reader, reader.size(), $undefined, _depth + 1, message.preKey);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SignedPublicKeyBundle;
        })();

        message_contents.PublicKey = (function() {

            const PublicKey = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            PublicKey.prototype.timestamp = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            PublicKey.prototype.signature = null;
            PublicKey.prototype.secp256k1Uncompressed = null;

            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(PublicKey.prototype, "_signature", {
                get: $util.oneOfGetter($oneOfFields = ["signature"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            $Object.defineProperty(PublicKey.prototype, "union", {
                get: $util.oneOfGetter($oneOfFields = ["secp256k1Uncompressed"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            PublicKey.create = function(properties) {
                return new PublicKey(properties);
            };

            PublicKey.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.timestamp != null && $Object.hasOwnProperty.call(message, "timestamp") && (typeof message.timestamp === "object" ? message.timestamp.low || message.timestamp.high : message.timestamp !== 0))
                    writer.uint32(8).uint64(message.timestamp);
                if (message.signature != null && $Object.hasOwnProperty.call(message, "signature"))
                    $root.xmtp.message_contents.Signature.encode(message.signature, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.secp256k1Uncompressed != null && $Object.hasOwnProperty.call(message, "secp256k1Uncompressed"))
                    $root.xmtp.message_contents.PublicKey.Secp256k1Uncompressed.encode(message.secp256k1Uncompressed, writer.uint32(26).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            PublicKey.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.PublicKey();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.timestamp = value;
                            else
                                delete message.timestamp;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.signature = $root.xmtp.message_contents.Signature.decode(reader, reader.size(), $undefined, _depth + 1, message.signature);
                            message._signature = "signature";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.secp256k1Uncompressed = $root.xmtp.message_contents.PublicKey.Secp256k1Uncompressed.decode(reader, reader.size(), $undefined, _depth + 1, message.secp256k1Uncompressed);
                            message.union = "secp256k1Uncompressed";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            PublicKey.Secp256k1Uncompressed = (function() {

                const Secp256k1Uncompressed = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                Secp256k1Uncompressed.prototype.bytes = $util.newBuffer([]);

                Secp256k1Uncompressed.create = function(properties) {
                    return new Secp256k1Uncompressed(properties);
                };

                Secp256k1Uncompressed.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.bytes != null && $Object.hasOwnProperty.call(message, "bytes") && message.bytes.length)
                        writer.uint32(10).bytes(message.bytes);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                Secp256k1Uncompressed.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.xmtp.message_contents.PublicKey.Secp256k1Uncompressed();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.bytes = value;
                                else
                                    delete message.bytes;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Secp256k1Uncompressed;
            })();

            return PublicKey;
        })();

        message_contents.PublicKeyBundle = (function() {

            const PublicKeyBundle = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            PublicKeyBundle.prototype.identityKey = null;
            PublicKeyBundle.prototype.preKey = null;

            PublicKeyBundle.create = function(properties) {
                return new PublicKeyBundle(properties);
            };

            PublicKeyBundle.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.identityKey != null && $Object.hasOwnProperty.call(message, "identityKey"))
                    $root.xmtp.message_contents.PublicKey.encode(message.identityKey, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.preKey != null && $Object.hasOwnProperty.call(message, "preKey"))
                    $root.xmtp.message_contents.PublicKey.encode(message.preKey, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            PublicKeyBundle.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.PublicKeyBundle();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.identityKey = $root.xmtp.message_contents.PublicKey.decode(reader, reader.size(), $undefined, _depth + 1, message.identityKey);
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.preKey = $root.xmtp.message_contents.PublicKey.decode(reader, reader.size(), $undefined, _depth + 1, message.preKey);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return PublicKeyBundle;
        })();

        message_contents.SignedPrivateKey = (function() {

            const SignedPrivateKey = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            SignedPrivateKey.prototype.createdNs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            SignedPrivateKey.prototype.secp256k1 = null;
            SignedPrivateKey.prototype.publicKey = null;

            let $oneOfFields;

            $Object.defineProperty(SignedPrivateKey.prototype, "union", {
                get: $util.oneOfGetter($oneOfFields = ["secp256k1"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            SignedPrivateKey.create = function(properties) {
                return new SignedPrivateKey(properties);
            };

            SignedPrivateKey.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.createdNs != null && $Object.hasOwnProperty.call(message, "createdNs") && (typeof message.createdNs === "object" ? message.createdNs.low || message.createdNs.high : message.createdNs !== 0))
                    writer.uint32(8).uint64(message.createdNs);
                if (message.secp256k1 != null && $Object.hasOwnProperty.call(message, "secp256k1"))
                    $root.xmtp.message_contents.SignedPrivateKey.Secp256k1.encode(message.secp256k1, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.publicKey != null && $Object.hasOwnProperty.call(message, "publicKey"))
                    $root.xmtp.message_contents.SignedPublicKey.encode(message.publicKey, writer.uint32(26).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            SignedPrivateKey.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.SignedPrivateKey();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.createdNs = value;
                            else
                                delete message.createdNs;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.secp256k1 = $root.xmtp.message_contents.SignedPrivateKey.Secp256k1.decode(reader, reader.size(), $undefined, _depth + 1, message.secp256k1);
                            message.union = "secp256k1";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.publicKey = $root.xmtp.message_contents.SignedPublicKey.decode(reader, reader.size(), $undefined, _depth + 1, message.publicKey);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            SignedPrivateKey.Secp256k1 = (function() {

                const Secp256k1 = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                Secp256k1.prototype.bytes = $util.newBuffer([]);

                Secp256k1.create = function(properties) {
                    return new Secp256k1(properties);
                };

                Secp256k1.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.bytes != null && $Object.hasOwnProperty.call(message, "bytes") && message.bytes.length)
                        writer.uint32(10).bytes(message.bytes);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                Secp256k1.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.xmtp.message_contents.SignedPrivateKey.Secp256k1();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.bytes = value;
                                else
                                    delete message.bytes;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Secp256k1;
            })();

            return SignedPrivateKey;
        })();

        message_contents.PrivateKeyBundleV2 = (function() {

            const PrivateKeyBundleV2 = function (properties) {
                this.preKeys = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            PrivateKeyBundleV2.prototype.identityKey = null;
            PrivateKeyBundleV2.prototype.preKeys = $util.emptyArray;

            PrivateKeyBundleV2.create = function(properties) {
                return new PrivateKeyBundleV2(properties);
            };

            PrivateKeyBundleV2.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.identityKey != null && $Object.hasOwnProperty.call(message, "identityKey"))
                    $root.xmtp.message_contents.SignedPrivateKey.encode(message.identityKey, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.preKeys != null && message.preKeys.length)
                    for (let i = 0; i < message.preKeys.length; ++i)
                        $root.xmtp.message_contents.SignedPrivateKey.encode(message.preKeys[i], writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            PrivateKeyBundleV2.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.PrivateKeyBundleV2();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.identityKey = $root.xmtp.message_contents.SignedPrivateKey.decode(reader, reader.size(), $undefined, _depth + 1, message.identityKey);
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.preKeys && message.preKeys.length))
                                message.preKeys = [];
                            message.preKeys.push($root.xmtp.message_contents.SignedPrivateKey.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return PrivateKeyBundleV2;
        })();

        message_contents.PrivateKey = (function() {

            const PrivateKey = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            PrivateKey.prototype.timestamp = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            PrivateKey.prototype.secp256k1 = null;
            PrivateKey.prototype.publicKey = null;

            let $oneOfFields;

            $Object.defineProperty(PrivateKey.prototype, "union", {
                get: $util.oneOfGetter($oneOfFields = ["secp256k1"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            PrivateKey.create = function(properties) {
                return new PrivateKey(properties);
            };

            PrivateKey.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.timestamp != null && $Object.hasOwnProperty.call(message, "timestamp") && (typeof message.timestamp === "object" ? message.timestamp.low || message.timestamp.high : message.timestamp !== 0))
                    writer.uint32(8).uint64(message.timestamp);
                if (message.secp256k1 != null && $Object.hasOwnProperty.call(message, "secp256k1"))
                    $root.xmtp.message_contents.PrivateKey.Secp256k1.encode(message.secp256k1, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.publicKey != null && $Object.hasOwnProperty.call(message, "publicKey"))
                    $root.xmtp.message_contents.PublicKey.encode(message.publicKey, writer.uint32(26).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            PrivateKey.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.PrivateKey();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.timestamp = value;
                            else
                                delete message.timestamp;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.secp256k1 = $root.xmtp.message_contents.PrivateKey.Secp256k1.decode(reader, reader.size(), $undefined, _depth + 1, message.secp256k1);
                            message.union = "secp256k1";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.publicKey = $root.xmtp.message_contents.PublicKey.decode(reader, reader.size(), $undefined, _depth + 1, message.publicKey);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            PrivateKey.Secp256k1 = (function() {

                const Secp256k1 = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                Secp256k1.prototype.bytes = $util.newBuffer([]);

                Secp256k1.create = function(properties) {
                    return new Secp256k1(properties);
                };

                Secp256k1.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.bytes != null && $Object.hasOwnProperty.call(message, "bytes") && message.bytes.length)
                        writer.uint32(10).bytes(message.bytes);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                Secp256k1.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.xmtp.message_contents.PrivateKey.Secp256k1();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.bytes = value;
                                else
                                    delete message.bytes;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Secp256k1;
            })();

            return PrivateKey;
        })();

        message_contents.PrivateKeyBundleV1 = (function() {

            const PrivateKeyBundleV1 = function (properties) {
                this.preKeys = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            PrivateKeyBundleV1.prototype.identityKey = null;
            PrivateKeyBundleV1.prototype.preKeys = $util.emptyArray;

            PrivateKeyBundleV1.create = function(properties) {
                return new PrivateKeyBundleV1(properties);
            };

            PrivateKeyBundleV1.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.identityKey != null && $Object.hasOwnProperty.call(message, "identityKey"))
                    $root.xmtp.message_contents.PrivateKey.encode(message.identityKey, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.preKeys != null && message.preKeys.length)
                    for (let i = 0; i < message.preKeys.length; ++i)
                        $root.xmtp.message_contents.PrivateKey.encode(message.preKeys[i], writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            PrivateKeyBundleV1.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.PrivateKeyBundleV1();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.identityKey = $root.xmtp.message_contents.PrivateKey.decode(reader, reader.size(), $undefined, _depth + 1, message.identityKey);
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.preKeys && message.preKeys.length))
                                message.preKeys = [];
                            message.preKeys.push($root.xmtp.message_contents.PrivateKey.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return PrivateKeyBundleV1;
        })();

        message_contents.PrivateKeyBundle = (function() {

            const PrivateKeyBundle = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            PrivateKeyBundle.prototype.v1 = null;
            PrivateKeyBundle.prototype.v2 = null;

            let $oneOfFields;

            $Object.defineProperty(PrivateKeyBundle.prototype, "version", {
                get: $util.oneOfGetter($oneOfFields = ["v1", "v2"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            PrivateKeyBundle.create = function(properties) {
                return new PrivateKeyBundle(properties);
            };

            PrivateKeyBundle.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.v1 != null && $Object.hasOwnProperty.call(message, "v1"))
                    $root.xmtp.message_contents.PrivateKeyBundleV1.encode(message.v1, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.v2 != null && $Object.hasOwnProperty.call(message, "v2"))
                    $root.xmtp.message_contents.PrivateKeyBundleV2.encode(message.v2, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            PrivateKeyBundle.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.PrivateKeyBundle();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.v1 = $root.xmtp.message_contents.PrivateKeyBundleV1.decode(reader, reader.size(), $undefined, _depth + 1, message.v1);
                            message.version = "v1";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.v2 = $root.xmtp.message_contents.PrivateKeyBundleV2.decode(reader, reader.size(), $undefined, _depth + 1, message.v2);
                            message.version = "v2";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return PrivateKeyBundle;
        })();

        message_contents.EncryptedPrivateKeyBundleV1 = (function() {

            const EncryptedPrivateKeyBundleV1 = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            EncryptedPrivateKeyBundleV1.prototype.walletPreKey = $util.newBuffer([]);
            EncryptedPrivateKeyBundleV1.prototype.ciphertext = null;
            EncryptedPrivateKeyBundleV1.prototype.storageKeySource = null;

            EncryptedPrivateKeyBundleV1.create = function(properties) {
                return new EncryptedPrivateKeyBundleV1(properties);
            };

            EncryptedPrivateKeyBundleV1.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.walletPreKey != null && $Object.hasOwnProperty.call(message, "walletPreKey") && message.walletPreKey.length)
                    writer.uint32(10).bytes(message.walletPreKey);
                if (message.ciphertext != null && $Object.hasOwnProperty.call(message, "ciphertext"))
                    $root.xmtp.message_contents.Ciphertext.encode(message.ciphertext, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.storageKeySource != null && $Object.hasOwnProperty.call(message, "storageKeySource"))
                    $root.xmtp.message_contents.StorageKeySource.encode(message.storageKeySource, writer.uint32(802).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            EncryptedPrivateKeyBundleV1.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.EncryptedPrivateKeyBundleV1();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.walletPreKey = value;
                            else
                                delete message.walletPreKey;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.ciphertext = $root.xmtp.message_contents.Ciphertext.decode(reader, reader.size(), $undefined, _depth + 1, message.ciphertext);
                            continue;
                        }
                    case 100: {
                            if (wireType !== 2)
                                break;
                            message.storageKeySource = $root.xmtp.message_contents.StorageKeySource.decode(reader, reader.size(), $undefined, _depth + 1, message.storageKeySource);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return EncryptedPrivateKeyBundleV1;
        })();

        message_contents.EncryptedPrivateKeyBundle = (function() {

            const EncryptedPrivateKeyBundle = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            EncryptedPrivateKeyBundle.prototype.v1 = null;

            let $oneOfFields;

            $Object.defineProperty(EncryptedPrivateKeyBundle.prototype, "version", {
                get: $util.oneOfGetter($oneOfFields = ["v1"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            EncryptedPrivateKeyBundle.create = function(properties) {
                return new EncryptedPrivateKeyBundle(properties);
            };

            EncryptedPrivateKeyBundle.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.v1 != null && $Object.hasOwnProperty.call(message, "v1"))
                    $root.xmtp.message_contents.EncryptedPrivateKeyBundleV1.encode(message.v1, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            EncryptedPrivateKeyBundle.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.EncryptedPrivateKeyBundle();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.v1 = $root.xmtp.message_contents.EncryptedPrivateKeyBundleV1.decode(reader, reader.size(), $undefined, _depth + 1, message.v1);
                            message.version = "v1";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return EncryptedPrivateKeyBundle;
        })();

        message_contents.Ciphertext = (function() {

            const Ciphertext = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            Ciphertext.prototype.aes256GcmHkdfSha256 = null;

            let $oneOfFields;

            $Object.defineProperty(Ciphertext.prototype, "union", {
                get: $util.oneOfGetter($oneOfFields = ["aes256GcmHkdfSha256"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            Ciphertext.create = function(properties) {
                return new Ciphertext(properties);
            };

            Ciphertext.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.aes256GcmHkdfSha256 != null && $Object.hasOwnProperty.call(message, "aes256GcmHkdfSha256"))
                    $root.xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.encode(message.aes256GcmHkdfSha256, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            Ciphertext.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.Ciphertext();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.aes256GcmHkdfSha256 = $root.xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.decode(reader, reader.size(), $undefined, _depth + 1, message.aes256GcmHkdfSha256);
                            message.union = "aes256GcmHkdfSha256";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            Ciphertext.Aes256gcmHkdfsha256 = (function() {

                const Aes256gcmHkdfsha256 = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                Aes256gcmHkdfsha256.prototype.hkdfSalt = $util.newBuffer([]);
                Aes256gcmHkdfsha256.prototype.gcmNonce = $util.newBuffer([]);
                Aes256gcmHkdfsha256.prototype.payload = $util.newBuffer([]);

                Aes256gcmHkdfsha256.create = function(properties) {
                    return new Aes256gcmHkdfsha256(properties);
                };

                Aes256gcmHkdfsha256.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.hkdfSalt != null && $Object.hasOwnProperty.call(message, "hkdfSalt") && message.hkdfSalt.length)
                        writer.uint32(10).bytes(message.hkdfSalt);
                    if (message.gcmNonce != null && $Object.hasOwnProperty.call(message, "gcmNonce") && message.gcmNonce.length)
                        writer.uint32(18).bytes(message.gcmNonce);
                    if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                        writer.uint32(26).bytes(message.payload);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                Aes256gcmHkdfsha256.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.hkdfSalt = value;
                                else
                                    delete message.hkdfSalt;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.gcmNonce = value;
                                else
                                    delete message.gcmNonce;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.payload = value;
                                else
                                    delete message.payload;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Aes256gcmHkdfsha256;
            })();

            return Ciphertext;
        })();

        message_contents.ContactBundleV1 = (function() {

            const ContactBundleV1 = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            ContactBundleV1.prototype.keyBundle = null;

            ContactBundleV1.create = function(properties) {
                return new ContactBundleV1(properties);
            };

            ContactBundleV1.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.keyBundle != null && $Object.hasOwnProperty.call(message, "keyBundle"))
                    $root.xmtp.message_contents.PublicKeyBundle.encode(message.keyBundle, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            ContactBundleV1.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.ContactBundleV1();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.keyBundle = $root.xmtp.message_contents.PublicKeyBundle.decode(reader, reader.size(), $undefined, _depth + 1, message.keyBundle);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ContactBundleV1;
        })();

        message_contents.ContactBundleV2 = (function() {

            const ContactBundleV2 = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            ContactBundleV2.prototype.keyBundle = null;

            ContactBundleV2.create = function(properties) {
                return new ContactBundleV2(properties);
            };

            ContactBundleV2.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.keyBundle != null && $Object.hasOwnProperty.call(message, "keyBundle"))
                    $root.xmtp.message_contents.SignedPublicKeyBundle.encode(message.keyBundle, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            ContactBundleV2.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.ContactBundleV2();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.keyBundle = $root.xmtp.message_contents.SignedPublicKeyBundle.decode(reader, reader.size(), $undefined, _depth + 1, message.keyBundle);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ContactBundleV2;
        })();

        message_contents.ContactBundle = (function() {

            const ContactBundle = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            ContactBundle.prototype.v1 = null;
            ContactBundle.prototype.v2 = null;

            let $oneOfFields;

            $Object.defineProperty(ContactBundle.prototype, "version", {
                get: $util.oneOfGetter($oneOfFields = ["v1", "v2"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            ContactBundle.create = function(properties) {
                return new ContactBundle(properties);
            };

            ContactBundle.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.v1 != null && $Object.hasOwnProperty.call(message, "v1"))
                    $root.xmtp.message_contents.ContactBundleV1.encode(message.v1, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.v2 != null && $Object.hasOwnProperty.call(message, "v2"))
                    $root.xmtp.message_contents.ContactBundleV2.encode(message.v2, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            ContactBundle.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.ContactBundle();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.v1 = $root.xmtp.message_contents.ContactBundleV1.decode(reader, reader.size(), $undefined, _depth + 1, message.v1);
                            message.version = "v1";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.v2 = $root.xmtp.message_contents.ContactBundleV2.decode(reader, reader.size(), $undefined, _depth + 1, message.v2);
                            message.version = "v2";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ContactBundle;
        })();

        message_contents.SmartAccountSignature = (function() {

            const SmartAccountSignature = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            SmartAccountSignature.prototype.account = "";
            SmartAccountSignature.prototype.blockNumber = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            SmartAccountSignature.prototype.signature = $util.newBuffer([]);

            SmartAccountSignature.create = function(properties) {
                return new SmartAccountSignature(properties);
            };

            SmartAccountSignature.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.account != null && $Object.hasOwnProperty.call(message, "account") && message.account !== "")
                    writer.uint32(10).string(message.account);
                if (message.blockNumber != null && $Object.hasOwnProperty.call(message, "blockNumber") && (typeof message.blockNumber === "object" ? message.blockNumber.low || message.blockNumber.high : message.blockNumber !== 0))
                    writer.uint32(16).uint64(message.blockNumber);
                if (message.signature != null && $Object.hasOwnProperty.call(message, "signature") && message.signature.length)
                    writer.uint32(26).bytes(message.signature);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            SmartAccountSignature.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.SmartAccountSignature();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.account = value;
                            else
                                delete message.account;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.blockNumber = value;
                            else
                                delete message.blockNumber;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.signature = value;
                            else
                                delete message.signature;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SmartAccountSignature;
        })();

        message_contents.StorageKeySource = (function() {

            const StorageKeySource = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            StorageKeySource.prototype.ownerSignature = null;
            StorageKeySource.prototype.passphraseScrypt = null;

            let $oneOfFields;

            $Object.defineProperty(StorageKeySource.prototype, "source", {
                get: $util.oneOfGetter($oneOfFields = ["ownerSignature", "passphraseScrypt"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            StorageKeySource.create = function(properties) {
                return new StorageKeySource(properties);
            };

            StorageKeySource.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.ownerSignature != null && $Object.hasOwnProperty.call(message, "ownerSignature"))
                    $root.xmtp.message_contents.StorageKeySource.OwnerSignature.encode(message.ownerSignature, writer.uint32(10).fork(), _depth + 1).ldelim();
                if (message.passphraseScrypt != null && $Object.hasOwnProperty.call(message, "passphraseScrypt"))
                    $root.xmtp.message_contents.StorageKeySource.PassphraseScrypt.encode(message.passphraseScrypt, writer.uint32(18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            StorageKeySource.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.xmtp.message_contents.StorageKeySource();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.ownerSignature = $root.xmtp.message_contents.StorageKeySource.OwnerSignature.decode(reader, reader.size(), $undefined, _depth + 1, message.ownerSignature);
                            message.source = "ownerSignature";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.passphraseScrypt = $root.xmtp.message_contents.StorageKeySource.PassphraseScrypt.decode(reader, reader.size(), $undefined, _depth + 1, message.passphraseScrypt);
                            message.source = "passphraseScrypt";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            StorageKeySource.OwnerSignature = (function() {

                const OwnerSignature = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                OwnerSignature.prototype.owner = "";

                OwnerSignature.create = function(properties) {
                    return new OwnerSignature(properties);
                };

                OwnerSignature.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.owner != null && $Object.hasOwnProperty.call(message, "owner") && message.owner !== "")
                        writer.uint32(10).string(message.owner);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                OwnerSignature.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.xmtp.message_contents.StorageKeySource.OwnerSignature();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.owner = value;
                                else
                                    delete message.owner;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return OwnerSignature;
            })();

            StorageKeySource.PassphraseScrypt = (function() {

                const PassphraseScrypt = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                PassphraseScrypt.prototype.logN = 0;
                PassphraseScrypt.prototype.r = 0;
                PassphraseScrypt.prototype.p = 0;

                PassphraseScrypt.create = function(properties) {
                    return new PassphraseScrypt(properties);
                };

                PassphraseScrypt.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.logN != null && $Object.hasOwnProperty.call(message, "logN") && message.logN !== 0)
                        writer.uint32(8).uint32(message.logN);
                    if (message.r != null && $Object.hasOwnProperty.call(message, "r") && message.r !== 0)
                        writer.uint32(16).uint32(message.r);
                    if (message.p != null && $Object.hasOwnProperty.call(message, "p") && message.p !== 0)
                        writer.uint32(24).uint32(message.p);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                PassphraseScrypt.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.xmtp.message_contents.StorageKeySource.PassphraseScrypt();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.logN = value;
                                else
                                    delete message.logN;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.r = value;
                                else
                                    delete message.r;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.p = value;
                                else
                                    delete message.p;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return PassphraseScrypt;
            })();

            return StorageKeySource;
        })();

        return message_contents;
    })();

    return xmtp;
})();

export {
  $root as default
};
