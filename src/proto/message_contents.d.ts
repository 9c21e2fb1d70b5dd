import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace xmtp {

    namespace message_contents {

        interface ISignature extends xmtp.message_contents.Signature.$Properties {
        }

        class Signature {
            constructor(properties?: xmtp.message_contents.Signature.$Properties);
            $unknowns?: Uint8Array[];
            ecdsaCompact?: (xmtp.message_contents.Signature.ECDSACompact.$Properties|null);
            walletEcdsaCompact?: (xmtp.message_contents.Signature.WalletECDSACompact.$Properties|null);
            smartAccount?: (xmtp.message_contents.SmartAccountSignature.$Properties|null);
            union?: ("ecdsaCompact"|"walletEcdsaCompact"|"smartAccount");
            static create(properties: xmtp.message_contents.Signature.$Shape): xmtp.message_contents.Signature & xmtp.message_contents.Signature.$Shape;
            static create(properties?: xmtp.message_contents.Signature.$Properties): xmtp.message_contents.Signature;
            static encode(message: xmtp.message_contents.Signature.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.Signature & xmtp.message_contents.Signature.$Shape;
        }

        namespace Signature {
            interface $Properties {
                ecdsaCompact?: (xmtp.message_contents.Signature.ECDSACompact.$Properties|null);
                walletEcdsaCompact?: (xmtp.message_contents.Signature.WalletECDSACompact.$Properties|null);
                smartAccount?: (xmtp.message_contents.SmartAccountSignature.$Properties|null);
                union?: ("ecdsaCompact"|"walletEcdsaCompact"|"smartAccount");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              ecdsaCompact?: xmtp.message_contents.Signature.ECDSACompact.$Shape|null;
              walletEcdsaCompact?: xmtp.message_contents.Signature.WalletECDSACompact.$Shape|null;
              smartAccount?: xmtp.message_contents.SmartAccountSignature.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ union?: undefined; ecdsaCompact?: null; walletEcdsaCompact?: null; smartAccount?: null }|{ union?: "ecdsaCompact"; ecdsaCompact: xmtp.message_contents.Signature.ECDSACompact.$Shape; walletEcdsaCompact?: null; smartAccount?: null }|{ union?: "walletEcdsaCompact"; ecdsaCompact?: null; walletEcdsaCompact: xmtp.message_contents.Signature.WalletECDSACompact.$Shape; smartAccount?: null }|{ union?: "smartAccount"; ecdsaCompact?: null; walletEcdsaCompact?: null; smartAccount: xmtp.message_contents.SmartAccountSignature.$Shape })
            );

            interface IECDSACompact extends xmtp.message_contents.Signature.ECDSACompact.$Properties {
            }

            class ECDSACompact {
                constructor(properties?: xmtp.message_contents.Signature.ECDSACompact.$Properties);
                $unknowns?: Uint8Array[];
                bytes: Uint8Array;
                recovery: number;
                static create(properties: xmtp.message_contents.Signature.ECDSACompact.$Shape): xmtp.message_contents.Signature.ECDSACompact & xmtp.message_contents.Signature.ECDSACompact.$Shape;
                static create(properties?: xmtp.message_contents.Signature.ECDSACompact.$Properties): xmtp.message_contents.Signature.ECDSACompact;
                static encode(message: xmtp.message_contents.Signature.ECDSACompact.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.Signature.ECDSACompact & xmtp.message_contents.Signature.ECDSACompact.$Shape;
            }

            namespace ECDSACompact {
                interface $Properties {
                    bytes?: (Uint8Array|null);
                    recovery?: (number|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = xmtp.message_contents.Signature.ECDSACompact.$Properties;
            }

            interface IWalletECDSACompact extends xmtp.message_contents.Signature.WalletECDSACompact.$Properties {
            }

            class WalletECDSACompact {
                constructor(properties?: xmtp.message_contents.Signature.WalletECDSACompact.$Properties);
                $unknowns?: Uint8Array[];
                bytes: Uint8Array;
                recovery: number;
                static create(properties: xmtp.message_contents.Signature.WalletECDSACompact.$Shape): xmtp.message_contents.Signature.WalletECDSACompact & xmtp.message_contents.Signature.WalletECDSACompact.$Shape;
                static create(properties?: xmtp.message_contents.Signature.WalletECDSACompact.$Properties): xmtp.message_contents.Signature.WalletECDSACompact;
                static encode(message: xmtp.message_contents.Signature.WalletECDSACompact.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.Signature.WalletECDSACompact & xmtp.message_contents.Signature.WalletECDSACompact.$Shape;
            }

            namespace WalletECDSACompact {
                interface $Properties {
                    bytes?: (Uint8Array|null);
                    recovery?: (number|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = xmtp.message_contents.Signature.WalletECDSACompact.$Properties;
            }
        }

        interface IUnsignedPublicKey extends xmtp.message_contents.UnsignedPublicKey.$Properties {
        }

        class UnsignedPublicKey {
            constructor(properties?: xmtp.message_contents.UnsignedPublicKey.$Properties);
            $unknowns?: Uint8Array[];
            createdNs: (number|Long);
            secp256k1Uncompressed?: (xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Properties|null);
            union?: "secp256k1Uncompressed";
            static create(properties: xmtp.message_contents.UnsignedPublicKey.$Shape): xmtp.message_contents.UnsignedPublicKey & xmtp.message_contents.UnsignedPublicKey.$Shape;
            static create(properties?: xmtp.message_contents.UnsignedPublicKey.$Properties): xmtp.message_contents.UnsignedPublicKey;
            static encode(message: xmtp.message_contents.UnsignedPublicKey.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.UnsignedPublicKey & xmtp.message_contents.UnsignedPublicKey.$Shape;
        }

        namespace UnsignedPublicKey {
            interface $Properties {
                createdNs?: (number|Long|null);
                secp256k1Uncompressed?: (xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Properties|null);
                union?: "secp256k1Uncompressed";
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              createdNs?: number|Long|null;
              secp256k1Uncompressed?: xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ union?: undefined; secp256k1Uncompressed?: null }|{ union?: "secp256k1Uncompressed"; secp256k1Uncompressed: xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Shape })
            );

            interface ISecp256k1Uncompressed extends xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Properties {
            }

            class Secp256k1Uncompressed {
                constructor(properties?: xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Properties);
                $unknowns?: Uint8Array[];
                bytes: Uint8Array;
                static create(properties: xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Shape): xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed & xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Shape;
                static create(properties?: xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Properties): xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed;
                static encode(message: xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed & xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Shape;
            }

            namespace Secp256k1Uncompressed {
                interface $Properties {
                    bytes?: (Uint8Array|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = xmtp.message_contents.UnsignedPublicKey.Secp256k1Uncompressed.$Properties;
            }
        }

        interface ISignedPublicKey extends xmtp.message_contents.SignedPublicKey.$Properties {
        }

        class SignedPublicKey {
            constructor(properties?: xmtp.message_contents.SignedPublicKey.$Properties);
            $unknowns?: Uint8Array[];
            keyBytes: Uint8Array;
            signature?: (xmtp.message_contents.Signature.$Properties|null);
            static create(properties: xmtp.message_contents.SignedPublicKey.$Shape): xmtp.message_contents.SignedPublicKey & xmtp.message_contents.SignedPublicKey.$Shape;
            static create(properties?: xmtp.message_contents.SignedPublicKey.$Properties): xmtp.message_contents.SignedPublicKey;
            static encode(message: xmtp.message_contents.SignedPublicKey.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.SignedPublicKey & xmtp.message_contents.SignedPublicKey.$Shape;
        }

        namespace SignedPublicKey {
            interface $Properties {
                keyBytes?: (Uint8Array|null);
                signature?: (xmtp.message_contents.Signature.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              keyBytes?: Uint8Array|null;
              signature?: xmtp.message_contents.Signature.$Shape|null;
              $unknowns?: Uint8Array[];
            };
        }

        interface ISignedPublicKeyBundle extends xmtp.message_contents.SignedPublicKeyBundle.$Properties {
        }

        class SignedPublicKeyBundle {
            constructor(properties?: xmtp.message_contents.SignedPublicKeyBundle.$Properties);
            $unknowns?: Uint8Array[];
            identityKey?: (xmtp.message_contents.SignedPublicKey.$Properties|null);
            preKey?: (xmtp.message_contents.SignedPublicKey.$Properties|null);
            static create(properties: xmtp.message_contents.SignedPublicKeyBundle.$Shape): xmtp.message_contents.SignedPublicKeyBundle & xmtp.message_contents.SignedPublicKeyBundle.$Shape;
            static create(properties?: xmtp.message_contents.SignedPublicKeyBundle.$Properties): xmtp.message_contents.SignedPublicKeyBundle;
            static encode(message: xmtp.message_contents.SignedPublicKeyBundle.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.SignedPublicKeyBundle & xmtp.message_contents.SignedPublicKeyBundle.$Shape;
        }

        namespace SignedPublicKeyBundle {
            interface $Properties {
                identityKey?: (xmtp.message_contents.SignedPublicKey.$Properties|null);
                preKey?: (xmtp.message_contents.SignedPublicKey.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              identityKey?: xmtp.message_contents.SignedPublicKey.$Shape|null;
              preKey?: xmtp.message_contents.SignedPublicKey.$Shape|null;
              $unknowns?: Uint8Array[];
            };
        }

        interface IPublicKey extends xmtp.message_contents.PublicKey.$Properties {
        }

        class PublicKey {
            constructor(properties?: xmtp.message_contents.PublicKey.$Properties);
            $unknowns?: Uint8Array[];
            timestamp: (number|Long);
            signature?: (xmtp.message_contents.Signature.$Properties|null);
            secp256k1Uncompressed?: (xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Properties|null);
            union?: "secp256k1Uncompressed";
            static create(properties: xmtp.message_contents.PublicKey.$Shape): xmtp.message_contents.PublicKey & xmtp.message_contents.PublicKey.$Shape;
            static create(properties?: xmtp.message_contents.PublicKey.$Properties): xmtp.message_contents.PublicKey;
            static encode(message: xmtp.message_contents.PublicKey.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.PublicKey & xmtp.message_contents.PublicKey.$Shape;
        }

        namespace PublicKey {
            interface $Properties {
                timestamp?: (number|Long|null);
                signature?: (xmtp.message_contents.Signature.$Properties|null);
                secp256k1Uncompressed?: (xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Properties|null);
                union?: "secp256k1Uncompressed";
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              timestamp?: number|Long|null;
              signature?: xmtp.message_contents.Signature.$Shape|null;
              secp256k1Uncompressed?: xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ union?: undefined; secp256k1Uncompressed?: null }|{ union?: "secp256k1Uncompressed"; secp256k1Uncompressed: xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Shape })
            );

            interface ISecp256k1Uncompressed extends xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Properties {
            }

            class Secp256k1Uncompressed {
                constructor(properties?: xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Properties);
                $unknowns?: Uint8Array[];
                bytes: Uint8Array;
                static create(properties: xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Shape): xmtp.message_contents.PublicKey.Secp256k1Uncompressed & xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Shape;
                static create(properties?: xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Properties): xmtp.message_contents.PublicKey.Secp256k1Uncompressed;
                static encode(message: xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.PublicKey.Secp256k1Uncompressed & xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Shape;
            }

            namespace Secp256k1Uncompressed {
                interface $Properties {
                    bytes?: (Uint8Array|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = xmtp.message_contents.PublicKey.Secp256k1Uncompressed.$Properties;
            }
        }

        interface IPublicKeyBundle extends xmtp.message_contents.PublicKeyBundle.$Properties {
        }

        class PublicKeyBundle {
            constructor(properties?: xmtp.message_contents.PublicKeyBundle.$Properties);
            $unknowns?: Uint8Array[];
            identityKey?: (xmtp.message_contents.PublicKey.$Properties|null);
            preKey?: (xmtp.message_contents.PublicKey.$Properties|null);
            static create(properties: xmtp.message_contents.PublicKeyBundle.$Shape): xmtp.message_contents.PublicKeyBundle & xmtp.message_contents.PublicKeyBundle.$Shape;
            static create(properties?: xmtp.message_contents.PublicKeyBundle.$Properties): xmtp.message_contents.PublicKeyBundle;
            static encode(message: xmtp.message_contents.PublicKeyBundle.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.PublicKeyBundle & xmtp.message_contents.PublicKeyBundle.$Shape;
        }

        namespace PublicKeyBundle {
            interface $Properties {
                identityKey?: (xmtp.message_contents.PublicKey.$Properties|null);
                preKey?: (xmtp.message_contents.PublicKey.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              identityKey?: xmtp.message_contents.PublicKey.$Shape|null;
              preKey?: xmtp.message_contents.PublicKey.$Shape|null;
              $unknowns?: Uint8Array[];
            };
        }

        interface ISignedPrivateKey extends xmtp.message_contents.SignedPrivateKey.$Properties {
        }

        class SignedPrivateKey {
            constructor(properties?: xmtp.message_contents.SignedPrivateKey.$Properties);
            $unknowns?: Uint8Array[];
            createdNs: (number|Long);
            secp256k1?: (xmtp.message_contents.SignedPrivateKey.Secp256k1.$Properties|null);
            publicKey?: (xmtp.message_contents.SignedPublicKey.$Properties|null);
            union?: "secp256k1";
            static create(properties: xmtp.message_contents.SignedPrivateKey.$Shape): xmtp.message_contents.SignedPrivateKey & xmtp.message_contents.SignedPrivateKey.$Shape;
            static create(properties?: xmtp.message_contents.SignedPrivateKey.$Properties): xmtp.message_contents.SignedPrivateKey;
            static encode(message: xmtp.message_contents.SignedPrivateKey.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.SignedPrivateKey & xmtp.message_contents.SignedPrivateKey.$Shape;
        }

        namespace SignedPrivateKey {
            interface $Properties {
                createdNs?: (number|Long|null);
                secp256k1?: (xmtp.message_contents.SignedPrivateKey.Secp256k1.$Properties|null);
                publicKey?: (xmtp.message_contents.SignedPublicKey.$Properties|null);
                union?: "secp256k1";
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              createdNs?: number|Long|null;
              secp256k1?: xmtp.message_contents.SignedPrivateKey.Secp256k1.$Shape|null;
              publicKey?: xmtp.message_contents.SignedPublicKey.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ union?: undefined; secp256k1?: null }|{ union?: "secp256k1"; secp256k1: xmtp.message_contents.SignedPrivateKey.Secp256k1.$Shape })
            );

            interface ISecp256k1 extends xmtp.message_contents.SignedPrivateKey.Secp256k1.$Properties {
            }

            class Secp256k1 {
                constructor(properties?: xmtp.message_contents.SignedPrivateKey.Secp256k1.$Properties);
                $unknowns?: Uint8Array[];
                bytes: Uint8Array;
                static create(properties: xmtp.message_contents.SignedPrivateKey.Secp256k1.$Shape): xmtp.message_contents.SignedPrivateKey.Secp256k1 & xmtp.message_contents.SignedPrivateKey.Secp256k1.$Shape;
                static create(properties?: xmtp.message_contents.SignedPrivateKey.Secp256k1.$Properties): xmtp.message_contents.SignedPrivateKey.Secp256k1;
                static encode(message: xmtp.message_contents.SignedPrivateKey.Secp256k1.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.SignedPrivateKey.Secp256k1 & xmtp.message_contents.SignedPrivateKey.Secp256k1.$Shape;
            }

            namespace Secp256k1 {
                interface $Properties {
                    bytes?: (Uint8Array|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = xmtp.message_contents.SignedPrivateKey.Secp256k1.$Properties;
            }
        }

        interface IPrivateKeyBundleV2 extends xmtp.message_contents.PrivateKeyBundleV2.$Properties {
        }

        class PrivateKeyBundleV2 {
            constructor(properties?: xmtp.message_contents.PrivateKeyBundleV2.$Properties);
            $unknowns?: Uint8Array[];
            identityKey?: (xmtp.message_contents.SignedPrivateKey.$Properties|null);
            preKeys: xmtp.message_contents.SignedPrivateKey.$Properties[];
            static create(properties: xmtp.message_contents.PrivateKeyBundleV2.$Shape): xmtp.message_contents.PrivateKeyBundleV2 & xmtp.message_contents.PrivateKeyBundleV2.$Shape;
            static create(properties?: xmtp.message_contents.PrivateKeyBundleV2.$Properties): xmtp.message_contents.PrivateKeyBundleV2;
            static encode(message: xmtp.message_contents.PrivateKeyBundleV2.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.PrivateKeyBundleV2 & xmtp.message_contents.PrivateKeyBundleV2.$Shape;
        }

        namespace PrivateKeyBundleV2 {
            interface $Properties {
                identityKey?: (xmtp.message_contents.SignedPrivateKey.$Properties|null);
                preKeys?: (xmtp.message_contents.SignedPrivateKey.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              identityKey?: xmtp.message_contents.SignedPrivateKey.$Shape|null;
              preKeys?: xmtp.message_contents.SignedPrivateKey.$Shape[]|null;
              $unknowns?: Uint8Array[];
            };
        }

        interface IPrivateKey extends xmtp.message_contents.PrivateKey.$Properties {
        }

        class PrivateKey {
            constructor(properties?: xmtp.message_contents.PrivateKey.$Properties);
            $unknowns?: Uint8Array[];
            timestamp: (number|Long);
            secp256k1?: (xmtp.message_contents.PrivateKey.Secp256k1.$Properties|null);
            publicKey?: (xmtp.message_contents.PublicKey.$Properties|null);
            union?: "secp256k1";
            static create(properties: xmtp.message_contents.PrivateKey.$Shape): xmtp.message_contents.PrivateKey & xmtp.message_contents.PrivateKey.$Shape;
            static create(properties?: xmtp.message_contents.PrivateKey.$Properties): xmtp.message_contents.PrivateKey;
            static encode(message: xmtp.message_contents.PrivateKey.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.PrivateKey & xmtp.message_contents.PrivateKey.$Shape;
        }

        namespace PrivateKey {
            interface $Properties {
                timestamp?: (number|Long|null);
                secp256k1?: (xmtp.message_contents.PrivateKey.Secp256k1.$Properties|null);
                publicKey?: (xmtp.message_contents.PublicKey.$Properties|null);
                union?: "secp256k1";
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              timestamp?: number|Long|null;
              secp256k1?: xmtp.message_contents.PrivateKey.Secp256k1.$Shape|null;
              publicKey?: xmtp.message_contents.PublicKey.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ union?: undefined; secp256k1?: null }|{ union?: "secp256k1"; secp256k1: xmtp.message_contents.PrivateKey.Secp256k1.$Shape })
            );

            interface ISecp256k1 extends xmtp.message_contents.PrivateKey.Secp256k1.$Properties {
            }

            class Secp256k1 {
                constructor(properties?: xmtp.message_contents.PrivateKey.Secp256k1.$Properties);
                $unknowns?: Uint8Array[];
                bytes: Uint8Array;
                static create(properties: xmtp.message_contents.PrivateKey.Secp256k1.$Shape): xmtp.message_contents.PrivateKey.Secp256k1 & xmtp.message_contents.PrivateKey.Secp256k1.$Shape;
                static create(properties?: xmtp.message_contents.PrivateKey.Secp256k1.$Properties): xmtp.message_contents.PrivateKey.Secp256k1;
                static encode(message: xmtp.message_contents.PrivateKey.Secp256k1.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.PrivateKey.Secp256k1 & xmtp.message_contents.PrivateKey.Secp256k1.$Shape;
            }

            namespace Secp256k1 {
                interface $Properties {
                    bytes?: (Uint8Array|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = xmtp.message_contents.PrivateKey.Secp256k1.$Properties;
            }
        }

        interface IPrivateKeyBundleV1 extends xmtp.message_contents.PrivateKeyBundleV1.$Properties {
        }

        class PrivateKeyBundleV1 {
            constructor(properties?: xmtp.message_contents.PrivateKeyBundleV1.$Properties);
            $unknowns?: Uint8Array[];
            identityKey?: (xmtp.message_contents.PrivateKey.$Properties|null);
            preKeys: xmtp.message_contents.PrivateKey.$Properties[];
            static create(properties: xmtp.message_contents.PrivateKeyBundleV1.$Shape): xmtp.message_contents.PrivateKeyBundleV1 & xmtp.message_contents.PrivateKeyBundleV1.$Shape;
            static create(properties?: xmtp.message_contents.PrivateKeyBundleV1.$Properties): xmtp.message_contents.PrivateKeyBundleV1;
            static encode(message: xmtp.message_contents.PrivateKeyBundleV1.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.PrivateKeyBundleV1 & xmtp.message_contents.PrivateKeyBundleV1.$Shape;
        }

        namespace PrivateKeyBundleV1 {
            interface $Properties {
                identityKey?: (xmtp.message_contents.PrivateKey.$Properties|null);
                preKeys?: (xmtp.message_contents.PrivateKey.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              identityKey?: xmtp.message_contents.PrivateKey.$Shape|null;
              preKeys?: xmtp.message_contents.PrivateKey.$Shape[]|null;
              $unknowns?: Uint8Array[];
            };
        }

        interface IPrivateKeyBundle extends xmtp.message_contents.PrivateKeyBundle.$Properties {
        }

        class PrivateKeyBundle {
            constructor(properties?: xmtp.message_contents.PrivateKeyBundle.$Properties);
            $unknowns?: Uint8Array[];
            v1?: (xmtp.message_contents.PrivateKeyBundleV1.$Properties|null);
            v2?: (xmtp.message_contents.PrivateKeyBundleV2.$Properties|null);
            version?: ("v1"|"v2");
            static create(properties: xmtp.message_contents.PrivateKeyBundle.$Shape): xmtp.message_contents.PrivateKeyBundle & xmtp.message_contents.PrivateKeyBundle.$Shape;
            static create(properties?: xmtp.message_contents.PrivateKeyBundle.$Properties): xmtp.message_contents.PrivateKeyBundle;
            static encode(message: xmtp.message_contents.PrivateKeyBundle.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.PrivateKeyBundle & xmtp.message_contents.PrivateKeyBundle.$Shape;
        }

        namespace PrivateKeyBundle {
            interface $Properties {
                v1?: (xmtp.message_contents.PrivateKeyBundleV1.$Properties|null);
                v2?: (xmtp.message_contents.PrivateKeyBundleV2.$Properties|null);
                version?: ("v1"|"v2");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              v1?: xmtp.message_contents.PrivateKeyBundleV1.$Shape|null;
              v2?: xmtp.message_contents.PrivateKeyBundleV2.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ version?: undefined; v1?: null; v2?: null }|{ version?: "v1"; v1: xmtp.message_contents.PrivateKeyBundleV1.$Shape; v2?: null }|{ version?: "v2"; v1?: null; v2: xmtp.message_contents.PrivateKeyBundleV2.$Shape })
            );
        }

        interface IEncryptedPrivateKeyBundleV1 extends xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Properties {
        }

        class EncryptedPrivateKeyBundleV1 {
            constructor(properties?: xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Properties);
            $unknowns?: Uint8Array[];
            walletPreKey: Uint8Array;
            ciphertext?: (xmtp.message_contents.Ciphertext.$Properties|null);
            storageKeySource?: (xmtp.message_contents.StorageKeySource.$Properties|null);
            static create(properties: xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Shape): xmtp.message_contents.EncryptedPrivateKeyBundleV1 & xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Shape;
            static create(properties?: xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Properties): xmtp.message_contents.EncryptedPrivateKeyBundleV1;
            static encode(message: xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.EncryptedPrivateKeyBundleV1 & xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Shape;
        }

        namespace EncryptedPrivateKeyBundleV1 {
            interface $Properties {
                walletPreKey?: (Uint8Array|null);
                ciphertext?: (xmtp.message_contents.Ciphertext.$Properties|null);
                storageKeySource?: (xmtp.message_contents.StorageKeySource.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              walletPreKey?: Uint8Array|null;
              ciphertext?: xmtp.message_contents.Ciphertext.$Shape|null;
              storageKeySource?: xmtp.message_contents.StorageKeySource.$Shape|null;
              $unknowns?: Uint8Array[];
            };
        }

        interface IEncryptedPrivateKeyBundle extends xmtp.message_contents.EncryptedPrivateKeyBundle.$Properties {
        }

        class EncryptedPrivateKeyBundle {
            constructor(properties?: xmtp.message_contents.EncryptedPrivateKeyBundle.$Properties);
            $unknowns?: Uint8Array[];
            v1?: (xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Properties|null);
            version?: "v1";
            static create(properties: xmtp.message_contents.EncryptedPrivateKeyBundle.$Shape): xmtp.message_contents.EncryptedPrivateKeyBundle & xmtp.message_contents.EncryptedPrivateKeyBundle.$Shape;
            static create(properties?: xmtp.message_contents.EncryptedPrivateKeyBundle.$Properties): xmtp.message_contents.EncryptedPrivateKeyBundle;
            static encode(message: xmtp.message_contents.EncryptedPrivateKeyBundle.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.EncryptedPrivateKeyBundle & xmtp.message_contents.EncryptedPrivateKeyBundle.$Shape;
        }

        namespace EncryptedPrivateKeyBundle {
            interface $Properties {
                v1?: (xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Properties|null);
                version?: "v1";
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              v1?: xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ version?: undefined; v1?: null }|{ version?: "v1"; v1: xmtp.message_contents.EncryptedPrivateKeyBundleV1.$Shape })
            );
        }

        interface ICiphertext extends xmtp.message_contents.Ciphertext.$Properties {
        }

        class Ciphertext {
            constructor(properties?: xmtp.message_contents.Ciphertext.$Properties);
            $unknowns?: Uint8Array[];
            aes256GcmHkdfSha256?: (xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Properties|null);
            union?: "aes256GcmHkdfSha256";
            static create(properties: xmtp.message_contents.Ciphertext.$Shape): xmtp.message_contents.Ciphertext & xmtp.message_contents.Ciphertext.$Shape;
            static create(properties?: xmtp.message_contents.Ciphertext.$Properties): xmtp.message_contents.Ciphertext;
            static encode(message: xmtp.message_contents.Ciphertext.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.Ciphertext & xmtp.message_contents.Ciphertext.$Shape;
        }

        namespace Ciphertext {
            interface $Properties {
                aes256GcmHkdfSha256?: (xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Properties|null);
                union?: "aes256GcmHkdfSha256";
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              aes256GcmHkdfSha256?: xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ union?: undefined; aes256GcmHkdfSha256?: null }|{ union?: "aes256GcmHkdfSha256"; aes256GcmHkdfSha256: xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Shape })
            );

            interface IAes256gcmHkdfsha256 extends xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Properties {
            }

            class Aes256gcmHkdfsha256 {
                constructor(properties?: xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Properties);
                $unknowns?: Uint8Array[];
                hkdfSalt: Uint8Array;
                gcmNonce: Uint8Array;
                payload: Uint8Array;
                static create(properties: xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Shape): xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256 & xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Shape;
                static create(properties?: xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Properties): xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256;
                static encode(message: xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256 & xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Shape;
            }

            namespace Aes256gcmHkdfsha256 {
                interface $Properties {
                    hkdfSalt?: (Uint8Array|null);
                    gcmNonce?: (Uint8Array|null);
                    payload?: (Uint8Array|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = xmtp.message_contents.Ciphertext.Aes256gcmHkdfsha256.$Properties;
            }
        }

        interface IContactBundleV1 extends xmtp.message_contents.ContactBundleV1.$Properties {
        }

        class ContactBundleV1 {
            constructor(properties?: xmtp.message_contents.ContactBundleV1.$Properties);
            $unknowns?: Uint8Array[];
            keyBundle?: (xmtp.message_contents.PublicKeyBundle.$Properties|null);
            static create(properties: xmtp.message_contents.ContactBundleV1.$Shape): xmtp.message_contents.ContactBundleV1 & xmtp.message_contents.ContactBundleV1.$Shape;
            static create(properties?: xmtp.message_contents.ContactBundleV1.$Properties): xmtp.message_contents.ContactBundleV1;
            static encode(message: xmtp.message_contents.ContactBundleV1.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.ContactBundleV1 & xmtp.message_contents.ContactBundleV1.$Shape;
        }

        namespace ContactBundleV1 {
            interface $Properties {
                keyBundle?: (xmtp.message_contents.PublicKeyBundle.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              keyBundle?: xmtp.message_contents.PublicKeyBundle.$Shape|null;
              $unknowns?: Uint8Array[];
            };
        }

        interface IContactBundleV2 extends xmtp.message_contents.ContactBundleV2.$Properties {
        }

        class ContactBundleV2 {
            constructor(properties?: xmtp.message_contents.ContactBundleV2.$Properties);
            $unknowns?: Uint8Array[];
            keyBundle?: (xmtp.message_contents.SignedPublicKeyBundle.$Properties|null);
            static create(properties: xmtp.message_contents.ContactBundleV2.$Shape): xmtp.message_contents.ContactBundleV2 & xmtp.message_contents.ContactBundleV2.$Shape;
            static create(properties?: xmtp.message_contents.ContactBundleV2.$Properties): xmtp.message_contents.ContactBundleV2;
            static encode(message: xmtp.message_contents.ContactBundleV2.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.ContactBundleV2 & xmtp.message_contents.ContactBundleV2.$Shape;
        }

        namespace ContactBundleV2 {
            interface $Properties {
                keyBundle?: (xmtp.message_contents.SignedPublicKeyBundle.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              keyBundle?: xmtp.message_contents.SignedPublicKeyBundle.$Shape|null;
              $unknowns?: Uint8Array[];
            };
        }

        interface IContactBundle extends xmtp.message_contents.ContactBundle.$Properties {
        }

        class ContactBundle {
            constructor(properties?: xmtp.message_contents.ContactBundle.$Properties);
            $unknowns?: Uint8Array[];
            v1?: (xmtp.message_contents.ContactBundleV1.$Properties|null);
            v2?: (xmtp.message_contents.ContactBundleV2.$Properties|null);
            version?: ("v1"|"v2");
            static create(properties: xmtp.message_contents.ContactBundle.$Shape): xmtp.message_contents.ContactBundle & xmtp.message_contents.ContactBundle.$Shape;
            static create(properties?: xmtp.message_contents.ContactBundle.$Properties): xmtp.message_contents.ContactBundle;
            static encode(message: xmtp.message_contents.ContactBundle.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.ContactBundle & xmtp.message_contents.ContactBundle.$Shape;
        }

        namespace ContactBundle {
            interface $Properties {
                v1?: (xmtp.message_contents.ContactBundleV1.$Properties|null);
                v2?: (xmtp.message_contents.ContactBundleV2.$Properties|null);
                version?: ("v1"|"v2");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              v1?: xmtp.message_contents.ContactBundleV1.$Shape|null;
              v2?: xmtp.message_contents.ContactBundleV2.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ version?: undefined; v1?: null; v2?: null }|{ version?: "v1"; v1: xmtp.message_contents.ContactBundleV1.$Shape; v2?: null }|{ version?: "v2"; v1?: null; v2: xmtp.message_contents.ContactBundleV2.$Shape })
            );
        }

        interface ISmartAccountSignature extends xmtp.message_contents.SmartAccountSignature.$Properties {
        }

        class SmartAccountSignature {
            constructor(properties?: xmtp.message_contents.SmartAccountSignature.$Properties);
            $unknowns?: Uint8Array[];
            account: string;
            blockNumber: (number|Long);
            signature: Uint8Array;
            static create(properties: xmtp.message_contents.SmartAccountSignature.$Shape): xmtp.message_contents.SmartAccountSignature & xmtp.message_contents.SmartAccountSignature.$Shape;
            static create(properties?: xmtp.message_contents.SmartAccountSignature.$Properties): xmtp.message_contents.SmartAccountSignature;
            static encode(message: xmtp.message_contents.SmartAccountSignature.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.SmartAccountSignature & xmtp.message_contents.SmartAccountSignature.$Shape;
        }

        namespace SmartAccountSignature {
            interface $Properties {
                account?: (string|null);
                blockNumber?: (number|Long|null);
                signature?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = xmtp.message_contents.SmartAccountSignature.$Properties;
        }

        interface IStorageKeySource extends xmtp.message_contents.StorageKeySource.$Properties {
        }

        class StorageKeySource {
            constructor(properties?: xmtp.message_contents.StorageKeySource.$Properties);
            $unknowns?: Uint8Array[];
            ownerSignature?: (xmtp.message_contents.StorageKeySource.OwnerSignature.$Properties|null);
            passphraseScrypt?: (xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Properties|null);
            source?: ("ownerSignature"|"passphraseScrypt");
            static create(properties: xmtp.message_contents.StorageKeySource.$Shape): xmtp.message_contents.StorageKeySource & xmtp.message_contents.StorageKeySource.$Shape;
            static create(properties?: xmtp.message_contents.StorageKeySource.$Properties): xmtp.message_contents.StorageKeySource;
            static encode(message: xmtp.message_contents.StorageKeySource.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.StorageKeySource & xmtp.message_contents.StorageKeySource.$Shape;
        }

        namespace StorageKeySource {
            interface $Properties {
                ownerSignature?: (xmtp.message_contents.StorageKeySource.OwnerSignature.$Properties|null);
                passphraseScrypt?: (xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Properties|null);
                source?: ("ownerSignature"|"passphraseScrypt");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              ownerSignature?: xmtp.message_contents.StorageKeySource.OwnerSignature.$Shape|null;
              passphraseScrypt?: xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ source?: undefined; ownerSignature?: null; passphraseScrypt?: null }|{ source?: "ownerSignature"; ownerSignature: xmtp.message_contents.StorageKeySource.OwnerSignature.$Shape; passphraseScrypt?: null }|{ source?: "passphraseScrypt"; ownerSignature?: null; passphraseScrypt: xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Shape })
            );

            interface IOwnerSignature extends xmtp.message_contents.StorageKeySource.OwnerSignature.$Properties {
            }

            class OwnerSignature {
                constructor(properties?: xmtp.message_contents.StorageKeySource.OwnerSignature.$Properties);
                $unknowns?: Uint8Array[];
                owner: string;
                static create(properties: xmtp.message_contents.StorageKeySource.OwnerSignature.$Shape): xmtp.message_contents.StorageKeySource.OwnerSignature & xmtp.message_contents.StorageKeySource.OwnerSignature.$Shape;
                static create(properties?: xmtp.message_contents.StorageKeySource.OwnerSignature.$Properties): xmtp.message_contents.StorageKeySource.OwnerSignature;
                static encode(message: xmtp.message_contents.StorageKeySource.OwnerSignature.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.StorageKeySource.OwnerSignature & xmtp.message_contents.StorageKeySource.OwnerSignature.$Shape;
            }

            namespace OwnerSignature {
                interface $Properties {
                    owner?: (string|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = xmtp.message_contents.StorageKeySource.OwnerSignature.$Properties;
            }

            interface IPassphraseScrypt extends xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Properties {
            }

            class PassphraseScrypt {
                constructor(properties?: xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Properties);
                $unknowns?: Uint8Array[];
                logN: number;
                r: number;
                p: number;
                static create(properties: xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Shape): xmtp.message_contents.StorageKeySource.PassphraseScrypt & xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Shape;
                static create(properties?: xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Properties): xmtp.message_contents.StorageKeySource.PassphraseScrypt;
                static encode(message: xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): xmtp.message_contents.StorageKeySource.PassphraseScrypt & xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Shape;
            }

            namespace PassphraseScrypt {
                interface $Properties {
                    logN?: (number|null);
                    r?: (number|null);
                    p?: (number|null);
                    $unknowns?: Uint8Array[];
                }
                type $Shape = xmtp.message_contents.StorageKeySource.PassphraseScrypt.$Properties;
            }
        }
    }
}
