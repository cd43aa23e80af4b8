"""A fixed corpus of owner posts for the search relevance tests (see relevance.py).

Posts read as owners write them on a property forum: leaks, lifts, fees, parking,
noise, decoration defects, doors and windows, landscaping, broadband, security, the
owners' committee, club activities, second-hand sales and notices. Hand-written threads
(with replies) carry the texts the queries are about, including near-misses that share
a character but not the word (漏 in 漏斗, 电 in 电视, 鼓 in 架子鼓), mixed
Chinese/English/digits (B座1203, 5G, WiFi, TS-000123) and a few posts in traditional
characters; formulaic posts (sales, rentals, lost and found) are generated from short
lists so the index holds a realistic amount of unrelated text.

Every post has a stable id (a reply's is its thread's plus a letter; near-misses start
with near-); relevance.py names ids, never database keys. The corpus is data only:
test_relevance.py loads it through the real services.
"""
from __future__ import annotations

from dataclasses import dataclass

DISCUSSION, COMPLAINT = "discussion", "complaint"
D, C = DISCUSSION, COMPLAINT

COMMUNITIES = {"cuihu": "翠湖苑", "yunqi": "云栖府", "binjiang": "滨江花园", "jinxiu": "锦绣华庭"}


@dataclass(frozen=True)
class Post:
    """One post: an opening post (with its thread's title) or a reply (title "")."""

    id: str
    title: str
    body: str
    community: str
    kind: str                    # DISCUSSION or COMPLAINT (a reply: its thread's)
    reply_to: str | None = None  # the id of the thread's opening post
    deleted: bool = False        # withdrawn by its author after posting


@dataclass(frozen=True)
class Note:
    """A staff member's internal note on a complaint: never shown to owners."""

    id: str
    case: str  # the id of the complaint's opening post
    body: str


WITHDRAWN = "withdrawn"  # marks a reply its author deleted after posting


def _thread(id_: str, community: str, kind: str, title: str, body: str,
            *replies: tuple[str, ...]) -> list[Post]:
    """An opening post and its replies, in order: (id, text) or (id, text, WITHDRAWN)."""
    return [Post(id_, title, body, community, kind)] + [
        Post(reply_id, "", text, community, kind, reply_to=id_, deleted=WITHDRAWN in rest)
        for reply_id, text, *rest in replies]


# --- Leaks (漏水, 渗水, 渗漏) and near-misses sharing 漏 or 水 -------------------------
LEAKS = [
    *_thread("leak-01", "cuihu", C, "楼上卫生间漏水，我家天花板泡发黄",
             "3栋1502业主。楼上卫生间漏水快一个星期了，我家卫生间天花板已经泡得发黄起皮。"
             "物业上门看过，说是楼上防水层的问题，要等楼上业主在家才能处理，请尽快安排。",
             ("leak-01a", "同样的问题，5栋也是楼上卫生间漏水，物业来了三次都没修好。"),
             ("leak-01b", "建议直接找工程部做闭水试验，确认防水层坏了就能走保修。"),
             ("leak-01c", "楼主后来修好了吗？我家情况一模一样。")),
    *_thread("leak-02", "yunqi", C, "厨房水管接口漏水，木地板泡坏了",
             "厨房水槽下面的水管接口一直在漏水，木地板已经泡得拱起来了。交房才八个月，"
             "还在保修期内，希望维修师傅尽快上门。",
             ("leak-02a", "水槽下面的软管很容易老化，先把角阀关了吧。")),
    *_thread("leak-03", "binjiang", D, "外墙渗水，卧室墙角发霉",
             "最近连续下雨，主卧靠外墙的墙角渗水，墙纸都鼓起来发霉了。有没有邻居遇到同样的"
             "情况？外墙渗水一般找物业还是找开发商？",
             ("leak-03a", "外墙渗水属于开发商保修范围，防水保修期五年，直接在投诉区提交就行。"),
             ("leak-03b", "我家也是外墙渗水，有同样问题的邻居加我微信一起维权，电话13812345678。",
              WITHDRAWN),
             ("leak-03c", "我们那栋去年统一做了外墙防水，做完就不渗了。")),
    *_thread("leak-04", "jinxiu", C, "地下室渗水严重，储藏室东西全湿了",
             "2号楼地下室墙面渗水，储藏室地面积了一层水，纸箱全泡烂了。去年就报过一次，"
             "修完没多久又开始渗。地下室渗水这么多年一直没根治。",
             ("leak-04a", "地下室的东西千万别直接放地上，垫个架子。"),
             ("leak-04b", "我们3号楼的储藏室也返潮，墙角都是白毛。")),
    *_thread("leak-05", "cuihu", D, "封阳台以后下大雨就漏水",
             "封了阳台以后一下大雨窗框四周就漏水，是打胶没打好吗？有没有靠谱的师傅推荐。",
             ("leak-05a", "打胶要打在外侧，内侧打再多也没用。")),
    *_thread("leak-06", "yunqi", C, "顶楼屋面漏水，客厅天花板滴水",
             "我家住18楼顶楼，这几天下雨客厅天花板一直滴水，地上接了两个盆。屋面漏水应该是"
             "开发商负责吧，请尽快派人查看。",
             ("leak-06a", "顶楼的屋面防水保修期是五年，抓紧在保修期内报。")),
    *_thread("leak-07", "binjiang", C, "B座1203天花板渗水",
             "B座1203，主卫天花板渗水，水一直顺着灯往下滴。楼上说他家好几天没用卫生间也在渗，"
             "怀疑是公共管井的问题。",
             ("leak-07a", "Ｂ座１２０３楼上就是我家，我家卫生间好几天没用了，管井那边是湿的。"),
             ("leak-07b", "B座1203的情况我们1503也有，应该是同一根立管。")),
    *_thread("leak-08", "jinxiu", D, "飘窗窗台一下雨就渗水",
             "飘窗窗台下雨就渗水，墙面一片水印。师傅说是窗户和墙体之间没做好防水。大家家里"
             "有没有这种情况？",
             ("leak-08a", "让物业找外墙的吊篮师傅从外面补胶，里面弄没用。")),
    *_thread("leak-09", "cuihu", C, "车库顶板漏水，车身全是水泥点",
             "地下车库B区顶板漏水，我的车停在车位上，车顶全是白色的水泥点，洗都洗不掉。"
             "要求物业处理车库漏水并承担洗车费用。",
             ("leak-09a", "B区靠近坡道那几个车位都在滴，我已经不敢停了。")),
    *_thread("leak-10", "yunqi", D, "楼上漏水费用谁来承担",
             "楼上装修把防水层打坏了，导致我家卫生间漏水，维修费用应该谁出？物业说让我们"
             "自己协商，楼上又不认。",
             ("leak-10a", "先让物业出个书面的原因说明，再找楼上协商，不行就走调解。")),
    *_thread("leak-11", "binjiang", C, "入户花园顶上渗漏，墙皮脱落",
             "入户花园的顶上一直渗漏，墙皮脱落了一大片，下雨天更严重。"),
    *_thread("leak-12", "jinxiu", C, "地暖分水器滴水",
             "地暖分水器下面一直滴水，地板湿了一块，请暖通师傅上门检查一下。"),
    *_thread("leak-13", "cuihu", D, "樓上衛生間漏水，天花板一直滴",
             "我們家樓上衛生間漏水兩個禮拜了，物業說要等樓上業主回來。有人知道還可以找誰嗎？",
             ("leak-13a", "可以在投诉区直接提交，写清楚楼栋和房号，工程部会联系楼上。")),
    *_thread("leak-14", "yunqi", C, "收房做闭水试验，楼下渗水",
             "收房时自己做了闭水试验，48小时后楼下就渗水了。精装修的卫生间防水都做不好，"
             "要求返工重做防水层。"),
    *_thread("leak-15", "jinxiu", C, "消防管道漏水，楼道积水",
             "11号楼3单元的消防管道漏水，楼道地面一直有积水，老人小孩容易滑倒。",
             ("leak-15a", "已经有老人在楼道滑倒了，赶紧修吧。")),
    *_thread("leak-16", "cuihu", C, "外墙渗水第三次报修，单号TS-000123",
             "上次投诉的单号是TS-000123，外墙渗水修了两次还是渗，墙角又发霉了，"
             "请工程部给个说法。",
             ("leak-16a", "TS-000123这个单子我也点了“我也遇到”，我家在同一面外墙。")),
    *_thread("leak-17", "yunqi", D, "卫生间漏水找开发商还是找物业",
             "刚收房半年，卫生间漏水淹了楼下，还在保修期内应该是开发商维修吧？楼下天花板的"
             "损失谁来赔？",
             ("leak-17a", "保修期内的卫生间漏水找开发商，楼下损失先找你，你再向开发商追偿。")),
    *_thread("leak-18", "binjiang", C, "小区水表井冻裂，路面结冰",
             "小区东门的水表井冻裂了，一直往外冒水，路面结了一层冰，早上好几个人摔倒。"),
    *_thread("leak-19", "jinxiu", C, "东面外墙涂料脱落，阳台也在渗水",
             "东面外墙的涂料大片脱落，阳台顶上也在渗水，两个问题一起报，请派人来看。"),
    *_thread("near-funnel", "cuihu", D, "厨房水槽漏斗堵了怎么通",
             "洗菜池的漏斗被菜叶堵住了，水下不去，用了管道疏通剂也没用，有没有好办法？",
             ("near-funnel-a", "把漏斗拧下来用旧牙刷刷一下，里面全是油垢。")),
    *_thread("near-leakage", "yunqi", C, "家里漏电保护器老是跳闸",
             "一开热水器漏电保护器就跳闸，电工说可能是线路问题。精装修交的房，线路应该"
             "开发商负责吧。"),
    *_thread("near-draught", "binjiang", D, "北卧窗户漏风，冬天太冷",
             "北面卧室的窗户关上了还是漏风，密封条老化了，想问问能不能找物业换密封条。"),
    *_thread("near-omit", "jinxiu", D, "停车费调整的通知遗漏了我们楼",
             "这次停车费调整的通知只贴了1到5号楼，我们6号楼完全没收到，是不是遗漏了？"),
    *_thread("near-gas", "binjiang", C, "燃气表接口有味道，怀疑漏气",
             "厨房燃气表接口附近一直有煤气味，打了燃气公司电话说要排队，请物业先帮忙关阀。"),
]

# --- Lifts (电梯) and near-misses sharing 电 or 梯 -----------------------------------
LIFTS = [
    *_thread("lift-01", "cuihu", C, "3栋电梯困人半小时没人管",
             "昨晚九点3栋2单元电梯困人，被困了半个多小时，打物业电话一直没人接，最后是消防"
             "来开的门。电梯维保单位必须给个说法。",
             ("lift-01a", "太吓人了，我们3栋电梯这个月已经第二次停了。"),
             ("lift-01b", "遇到电梯困人要打轿厢里贴的96333，比打物业快。"),
             ("lift-01c", "物业晚上的值班电话形同虚设，建议公布一个24小时能打通的号码。")),
    *_thread("lift-02", "yunqi", C, "7号楼电梯停运一周还没修好",
             "7号楼电梯停运一周了，我家住26楼，老人上下楼非常困难。物业说在等配件，"
             "电梯停运这么久总该有个期限吧。",
             ("lift-02a", "26楼爬上去真的要命，希望先修好一部。")),
    *_thread("lift-03", "binjiang", D, "5栋电梯运行有异响",
             "5栋的电梯最近上下运行有咔咔的异响，电梯运行正常，没有困人，但听着心里发毛，"
             "有人反映过吗？",
             ("lift-03a", "反映过，维保说是导靴缺油，上了油就好了。")),
    *_thread("lift-04", "jinxiu", D, "电梯广告屏声音太吵",
             "电梯里装了广告屏，声音开得很大，每天早上循环播放，能不能把声音关小一点？",
             ("lift-04a", "电梯广告的收入是全体业主的公共收益，应该公示。")),
    *_thread("lift-05", "cuihu", D, "電梯經常停運",
             "我們2棟的電梯這個月停了三次，物業說在等廠家的配件，每次都要爬樓梯上去。"),
    *_thread("lift-06", "yunqi", C, "电梯按键失灵，按了没反应",
             "12号楼的电梯按键失灵好几天了，要按十几下才有反应，赶时间的时候急死人。",
             ("lift-06a", "按键失灵报修了吗？我上周在前台登记过。")),
    *_thread("lift-07", "binjiang", D, "电梯年检合格证过期了",
             "看到电梯里的年检合格证过期两个月了，电梯年检不是每年都要做吗？"),
    *_thread("lift-08", "jinxiu", C, "4号楼电梯困人，孩子吓哭了",
             "今天下午4号楼电梯困人，我家孩子和奶奶被困了二十分钟，孩子吓哭了。请物业加强"
             "电梯维保，每个月的维保记录也请公示。",
             ("lift-08a", "上周我们单元也困过一次，电梯困人的事越来越多了。")),
    *_thread("lift-09", "cuihu", D, "装修工人用客梯运沙子",
             "楼里有人装修，工人天天用客梯运沙子水泥，电梯轿厢地面全是灰，货梯明明空着。"),
    *_thread("lift-10", "yunqi", D, "电梯卡只能刷自己楼层",
             "访客来了没法按楼层，电梯卡只能刷自己那层，能不能开放一下访客模式？",
             ("lift-10a", "可以让家人在家里用可视对讲给访客开电梯。")),
    *_thread("lift-11", "binjiang", C, "13栋电梯又停了",
             "13栋电梯今天又停了，一周两次，上班全靠走楼梯。"),
    *_thread("lift-12", "jinxiu", D, "电梯坏了好几天，物业说等配件",
             "6号楼的电梯又坏了，已经好几天了，物业每次都说等配件。"),
    *_thread("near-tv", "cuihu", D, "有线电视信号差，换成网络电视了",
             "小区的有线电视信号一直不好，画面老是卡，干脆换成网络电视了。"),
    *_thread("near-stairs", "yunqi", C, "楼梯间堆满杂物，堵了消防通道",
             "9号楼楼梯间被人堆了旧家具和纸箱，消防通道都堵了，出了事谁负责？"),
    *_thread("near-ebike", "binjiang", C, "电瓶车推进楼道充电太危险",
             "有人把电瓶车推进楼道充电，还从窗户拉飞线，出了火灾谁负责？"),
    *_thread("near-phone", "jinxiu", D, "物业前台电话永远打不通",
             "物业前台电话永远占线或者没人接，有事只能跑去物业服务中心当面说。"),
]

# --- Property fees and service (物业费, 物业) -----------------------------------------
FEES = [
    *_thread("fee-01", "cuihu", D, "物业费要涨价了？",
             "听说明年物业费要从2.8元涨到3.5元一平，业委会知道吗？物业费涨价应该先开业主"
             "大会表决吧。",
             ("fee-01a", "涨价可以，先把服务做好，物业费涨价不是物业说了算。"),
             ("fee-01b", "隔壁小区物业费才2.5元，服务比我们好多了。")),
    *_thread("fee-02", "yunqi", D, "物业费收缴率只有六成",
             "物业说今年物业费收缴率只有六成，所以服务跟不上。可是服务不好大家才不交的啊。",
             ("fee-02a", "恶性循环，服务差不交费，不交费更差。"),
             ("fee-02b", "物业应该把收支公开，大家才知道钱花在哪里。")),
    *_thread("fee-03", "binjiang", C, "空置房物业费能不能打折",
             "房子一直空着没住，物业费还是全额收，别的小区空置房物业费都打七折。"),
    *_thread("fee-04", "jinxiu", D, "物业费都包含哪些服务？",
             "每个月交的物业费到底包含什么？公共区域的水电、保洁、保安、绿化养护都算在"
             "里面吗？",
             ("fee-04a", "物业服务合同里有清单，可以去物业中心要一份看看。")),
    *_thread("fee-05", "cuihu", D, "物業費太貴了",
             "我們這個小區的物業費比隔壁貴一塊錢，服務卻差很多。"),
    *_thread("fee-06", "jinxiu", C, "物业费发票一直不给开",
             "交了一年的物业费，要了三次发票都说财务不在，物业费发票到底什么时候能开？"),
    *_thread("fee-07", "yunqi", D, "停车费又涨价了",
             "地下车库月租停车费从300涨到了400，涨价前也没公示，停车费涨价有依据吗？"),
    *_thread("svc-01", "binjiang", D, "物业服务越来越差",
             "保洁一周才拖一次楼道，垃圾桶满了也没人倒，物业服务真的越来越差了，物业经理"
             "也找不到人。",
             ("svc-01a", "物业合同快到期了，业委会可以考虑换物业。")),
    *_thread("svc-02", "jinxiu", D, "一年换了三个物业管家",
             "一年换了三个物业管家，每次都要重新说一遍问题，物业公司能不能稳定一点？"),
    *_thread("svc-03", "cuihu", D, "楼道堆放物品被清走了",
             "放在楼道的鞋柜和纸箱被保洁清走了，事先也没贴通知。"),
]

# --- Parking (车位, 停车, 地下车库) and near-misses -------------------------------------
PARKING = [
    *_thread("park-01", "cuihu", D, "出售地下车位一个，靠近电梯口",
             "翠湖苑地下车库B区车位出售，靠近电梯口，进出方便，价格可议。"),
    *_thread("park-02", "yunqi", D, "我的车位被人长期占用",
             "我买的车位天天被一辆白色SUV占着，贴了纸条也没用，物业说管不了。",
             ("park-02a", "可以装个车位锁，物业一般会同意。"),
             ("park-02b", "我也遇到过，最后是打了挪车电话才解决。")),
    *_thread("park-03", "binjiang", C, "车位划线太窄，车门打不开",
             "地下车库的车位划线只有2.2米宽，停进去车门都打不开，要求重新划线。"),
    *_thread("park-04", "jinxiu", D, "求租3号楼附近的车位",
             "求租3号楼附近的车位，月租300以内，有的私聊。"),
    *_thread("park-05", "cuihu", C, "地下车库积水，车位被淹",
             "昨晚暴雨，地下车库积水到小腿，好几个车位都被淹了，排水泵是不是坏了？",
             ("park-05a", "我的车就停在那边，发动机进水了，物业要给个说法。")),
    *_thread("park-06", "yunqi", D, "人防车位值不值得买",
             "开发商在卖人防车位，只有使用权没有产权，大家觉得值不值？",
             ("park-06a", "人防车位便宜一半，自己用的话可以买。")),
    *_thread("park-07", "binjiang", D, "想在自己车位装充电桩，物业不让",
             "买了新能源车，想在自己车位装充电桩，物业说要电力报装还要交管理费，太麻烦了。",
             ("park-07a", "充电桩要先找供电局报装，物业只能配合，不能不让装。")),
    *_thread("park-08", "jinxiu", C, "访客车辆乱停，堵住消防通道",
             "小区访客车辆到处乱停，晚上连消防通道都堵了，救护车都进不来。"),
    *_thread("park-09", "cuihu", C, "地下车库灯坏了一半",
             "地下车库C区的灯坏了一半，晚上停车黑乎乎的，已经有人刮车了。"),
    *_thread("near-seat", "binjiang", D, "会所阅览室座位太少",
             "周末去会所阅览室，座位只有十几个，经常没位置。"),
    *_thread("near-bike", "jinxiu", D, "自行车棚的车都被偷了",
             "3号楼自行车棚这周丢了三辆自行车，车棚的监控是摆设吗？"),
    *_thread("green-01", "cuihu", D, "绿化带被改成了停车位",
             "物业把3栋旁边的绿化带砍了改成停车位，这事业主同意了吗？"),
]

# --- Noise (噪音) and near-misses --------------------------------------------------
NOISE = [
    *_thread("noise-01", "cuihu", C, "楼上装修噪音从早到晚",
             "楼上装修天天早上七点就开始打电钻，中午也不停。规定的装修时间是8点到12点、"
             "14点到18点，请物业管一管。",
             ("noise-01a", "装修噪音可以找物业要装修许可证看看，上面有施工时间。")),
    *_thread("noise-02", "yunqi", D, "广场舞噪音扰民",
             "每天晚上中心广场跳广场舞，音响开到最大，噪音一直持续到九点半。",
             ("noise-02a", "跟领队商量过，音响调小了一点，但还是吵。"),
             ("noise-02b", "广场舞不是不能跳，九点前结束就行。")),
    *_thread("noise-03", "binjiang", C, "隔壁空调外机噪音太大",
             "隔壁的空调外机正对我家卧室窗户，晚上嗡嗡响，噪音吵得睡不着。"),
    *_thread("noise-04", "jinxiu", D, "小区外面工地夜间施工噪音",
             "小区外面的地铁工地夜里两点还在打桩，噪音太大了，可以打12345投诉吗？"),
    *_thread("noise-05", "cuihu", D, "楼下小孩练架子鼓",
             "楼下小孩每天晚上练架子鼓，咚咚咚的，能不能约定一下练习时间？",
             ("noise-05a", "可以给架子鼓装静音垫，效果挺明显的。")),
    *_thread("noise-06", "yunqi", C, "水泵房噪音，一楼住户睡不着",
             "1号楼地下水泵房的水泵一开就嗡嗡响，一楼住户晚上被噪音吵得睡不着。"),
    *_thread("near-music", "binjiang", D, "中秋音乐会招募节目",
             "会所中秋音乐会招募表演节目，会乐器的邻居欢迎报名。"),
]

# --- Decoration defects (精装修, 空鼓, 开裂) and near-misses ----------------------------
DECORATION = [
    *_thread("deco-01", "cuihu", C, "精装修交房，地砖大面积空鼓",
             "收房验房发现客厅地砖大面积空鼓，用空鼓锤一敲一片声音都不对。精装修的房子"
             "怎么能这样交付？",
             ("deco-01a", "我家也是精装修，卧室地板空鼓，开发商说在允许范围内。")),
    *_thread("deco-02", "yunqi", C, "卫生间墙砖空鼓脱落",
             "主卫墙砖空鼓，这两天掉了两块，差点砸到孩子。",
             ("deco-02a", "墙砖空鼓掉下来很危险，赶紧报修，保修期两年。")),
    *_thread("deco-03", "binjiang", D, "墙面开裂是不是质量问题",
             "入住一年，客厅和卧室墙面开裂，好几道裂缝，物业说是正常的腻子开裂，大家怎么看？",
             ("deco-03a", "墙面开裂要看是不是结构裂缝，腻子开裂一般是横平竖直的细缝。")),
    *_thread("deco-04", "jinxiu", C, "精装修橱柜门板开裂变形",
             "交房才三个月，精装修送的橱柜门板开裂变形，要求更换。"),
    *_thread("deco-05", "cuihu", D, "收房验房攻略：空鼓、开裂、返碱怎么查",
             "分享一下验房经验：地砖墙砖用空鼓锤敲，墙面看有没有开裂和返碱，窗户看密封条，"
             "卫生间一定要做闭水试验。"),
    *_thread("deco-06", "yunqi", C, "精装修标准缩水，品牌马桶变杂牌",
             "合同里写的是品牌马桶，交房装的是杂牌，精装修标准明显缩水了。",
             ("deco-06a", "我们也发现了，开关面板也换成了便宜货。")),
    *_thread("deco-07", "binjiang", C, "阳台地砖空鼓开裂",
             "阳台的地砖空鼓，还有两块已经开裂翘起来了。"),
    *_thread("deco-08", "jinxiu", D, "毛坯房自己装修，求推荐装修公司",
             "毛坯房准备自己装修，大家有靠谱的装修公司推荐吗？"),
    *_thread("deco-09", "cuihu", C, "外墙瓷砖空鼓脱落，差点砸到人",
             "8栋外墙的瓷砖空鼓脱落，昨天掉下来一块，正好砸在单元门口。"),
    *_thread("near-open", "yunqi", D, "南门新开的超市开业了",
             "南门新开的超市今天开业，鸡蛋特价，早上排了很长的队。"),
    *_thread("near-air", "jinxiu", D, "家里要不要买空气净化器",
             "新装修的房子，想买个空气净化器，大家推荐哪个牌子？"),
]

# --- Doors and windows --------------------------------------------------------------
WINDOWS = [
    *_thread("win-01", "cuihu", C, "客厅窗户关不严，密封条脱落",
             "客厅的推拉窗户关不严，密封条脱落了，冬天漏风严重。"),
    *_thread("win-02", "yunqi", D, "入户门变形关不上",
             "入户门用了一年就变形了，要用力才能关上，是防盗门质量不行吗？",
             ("win-02a", "可能是合页松了，先让物业师傅调一下。")),
    *_thread("win-03", "binjiang", C, "纱窗破了物业说过了保修期",
             "交房时纱窗就有破洞，当时登记了，现在物业说过了保修期不管。"),
    *_thread("win-04", "jinxiu", D, "想换断桥铝窗户，需要报备吗",
             "想把卧室窗户换成断桥铝的，外立面颜色不一样要物业同意吗？"),
    *_thread("win-05", "cuihu", D, "卧室窗户玻璃自爆",
             "半夜听到砰的一声，卧室窗户玻璃自爆了，吓死人，这种算质量问题吗？"),
]

# --- Landscaping (园林, 绿化) and near-misses -----------------------------------------
GREEN = [
    *_thread("green-02", "yunqi", C, "园林景观缩水，承诺的水系没了",
             "样板区承诺的园林景观水系，交房变成了一片草坪，园林景观和宣传的差太多。",
             ("green-02a", "宣传册我还留着，可以作为证据。")),
    *_thread("green-03", "binjiang", D, "香樟树被修剪得光秃秃",
             "园林公司把小区的香樟树剪得光秃秃的，夏天没有树荫了。"),
    *_thread("green-04", "jinxiu", D, "绿化打药能不能提前通知",
             "绿化打药没有提前通知，孩子在草坪上玩，担心有影响。"),
    *_thread("green-05", "cuihu", D, "绿化带蚊子太多，该消杀了",
             "一到晚上楼下绿化带蚊子成群，物业多久消杀一次？"),
    *_thread("near-kindergarten", "yunqi", D, "小区配套幼儿园报名攻略",
             "小区配套幼儿园今年开始招生，报名需要房产证和户口本。"),
    *_thread("near-park", "binjiang", D, "周末约跑滨江公园",
             "每周六早上七点在南门集合，跑滨江公园一圈大概5公里，欢迎加入。"),
]

# --- Broadband, mobile signal, WiFi -------------------------------------------------
NETWORK = [
    *_thread("net-01", "cuihu", C, "小区宽带只有一家运营商",
             "小区宽带只能装电信的，移动联通都进不来，价格还贵，这算不算垄断？",
             ("net-01a", "物业和电信签了独家协议，别的运营商进场要交进场费。")),
    *_thread("net-02", "yunqi", D, "5G信号太差，在家打电话断线",
             "9号楼里5G信号几乎没有，在家打电话老是断线，能不能请运营商加个基站？"),
    *_thread("net-03", "binjiang", D, "家里WiFi晚上老是断",
             "光纤入户的，家里WiFi每天晚上都断几次，是路由器的问题还是宽带的问题？",
             ("net-03a", "我家也是这样，换了个新路由器，WiFi就好多了。"),
             ("net-03b", "晚上是上网高峰，可以测一下网速是不是宽带本身慢。")),
    *_thread("net-04", "jinxiu", D, "地下车库没有手机信号",
             "地下车库完全没有手机信号，扫码缴停车费都扫不了。"),
    *_thread("net-05", "cuihu", D, "电信宽带升级千兆要加多少钱",
             "电信宽带300M想升级到千兆，要加多少钱？有装了的邻居吗？"),
    *_thread("net-06", "yunqi", D, "会所的Wi-Fi密码是多少",
             "在会所等孩子上课，想连一下Wi-Fi，前台说密码每周都换。"),
    *_thread("net-07", "binjiang", C, "会所的免费wifi形同虚设",
             "会所说有免费wifi，但是根本连不上，问前台也说不清楚。"),
    *_thread("net-08", "jinxiu", D, "电梯里4G信号只有一格",
             "6号楼电梯里和地下室的4G信号只有一格，打电话总是断。"),
    *_thread("net-09", "cuihu", D, "晚上寬帶很慢",
             "晚上八點以後寬帶慢得不行，看個視頻都卡。"),
    *_thread("net-10", "jinxiu", D, "楼顶要装5G基站，有辐射吗",
             "听说要在7号楼楼顶装5G基站，大家怎么看？住顶楼的有点担心。"),
]

# --- Security (门禁, 保安, 监控, 高空抛物) and near-misses -------------------------------
SECURITY = [
    *_thread("sec-01", "cuihu", C, "单元门禁坏了一个月没修",
             "3栋单元门禁坏了一个月，谁都能进，物业一直说在等配件。",
             ("sec-01a", "门禁坏了这么久，快递外卖都直接送上楼了。")),
    *_thread("sec-02", "yunqi", D, "建议门禁升级人脸识别",
             "刷卡门禁老丢卡，建议升级成人脸识别门禁，大家支持吗？",
             ("sec-02a", "人脸识别涉及隐私，数据存在哪里要说清楚。")),
    *_thread("sec-03", "binjiang", C, "电动车在车棚被偷，监控是盲区",
             "放在地下车棚的电动车被偷了，调监控说那个位置刚好是盲区。"),
    *_thread("sec-04", "jinxiu", D, "夜班保安在岗亭睡觉",
             "凌晨一点回家，岗亭的保安在睡觉，陌生人随便进出。",
             ("sec-04a", "保安一个人值通宵，确实顶不住，该加人。")),
    *_thread("sec-05", "cuihu", C, "高空抛物砸坏车顶",
             "停在5栋楼下的车被高空抛物砸了，车顶凹了一块，物业说找不到是谁扔的。",
             ("sec-05a", "高空抛物是犯罪，建议报警，再让物业装高空摄像头。")),
    *_thread("sec-06", "yunqi", D, "陌生人进小区发装修传单",
             "最近总有陌生人进小区挨家挨户发装修传单，门禁形同虚设。"),
    *_thread("sec-07", "binjiang", D, "建议地下车库增加监控",
             "建议物业在地下车库增加监控，现在很多地方没覆盖，刮车了都找不到人。"),
    *_thread("near-ban", "jinxiu", D, "楼道禁止吸烟形同虚设",
             "楼道里禁止吸烟的标志形同虚设，楼上邻居天天在楼道抽烟。"),
]

# --- Owners' committee (业委会, 维修基金) and near-misses --------------------------------
COMMITTEE = [
    *_thread("hoa-01", "cuihu", D, "业委会选举什么时候开始",
             "筹备组说下个月开始业委会选举，候选人名单在哪里公示？",
             ("hoa-01a", "公告栏和业主群都会发，报名截止到月底。")),
    *_thread("hoa-02", "yunqi", D, "业委会的账目要公开",
             "业委会成立一年了，公共收益的账目一次都没公开过。",
             ("hoa-02a", "支持，电梯广告和停车的收益都应该公示。")),
    *_thread("hoa-03", "binjiang", D, "成立业委会需要多少业主同意",
             "我们小区还没有业委会，想发起成立，需要满足什么条件？"),
    *_thread("hoa-04", "jinxiu", D, "维修基金怎么申请使用",
             "电梯要大修，听说可以用维修基金，申请流程是什么？要业主大会表决吗？"),
    *_thread("hoa-05", "yunqi", D, "業委會換屆要早點準備",
             "業委會任期快到了，換屆選舉要早點準備，大家有推薦的人選嗎？"),
    *_thread("near-neighbourhood", "cuihu", D, "居委会通知：老年人免费体检",
             "居委会通知，65岁以上老人可以免费体检，带身份证到社区卫生服务中心。"),
    *_thread("lift-13", "binjiang", C, "电梯维修拖了半个月",
             "2栋电梯维修拖了半个月，维保公司说零件还在路上。"),
]

# --- Community life: clubs, notices, deliveries, pets ---------------------------------
LIFE = [
    *_thread("club-01", "cuihu", D, "周六羽毛球约起来",
             "会所羽毛球馆周六下午两点，缺两个人，水平一般的也欢迎。",
             ("club-01a", "算我一个，自带球拍。")),
    *_thread("club-02", "yunqi", D, "万客会积分能换什么",
             "万客会积分攒了两万多，能换物业费吗？还是只能换礼品？"),
    *_thread("club-03", "binjiang", D, "亲子读书会第三期报名",
             "本周日上午十点会所二楼，亲子读书会第三期，主题是恐龙，限20组家庭。",
             ("club-03a", "已报名，孩子很期待。")),
    *_thread("club-04", "jinxiu", D, "业主篮球队招人",
             "锦绣华庭业主篮球队每周三晚上打球，欢迎加入。"),
    *_thread("club-05", "cuihu", D, "端午包粽子活动",
             "会所组织端午包粽子活动，材料免费，欢迎带孩子一起来。"),
    *_thread("club-06", "yunqi", D, "早上太极拳晨练",
             "每天早上六点半在中心花园打太极拳，有兴趣的邻居一起来。"),
    *_thread("ann-01", "cuihu", D, "【通知】3月15日全小区停水",
             "因市政管网维修，3月15日9:00-17:00全小区停水，请各位业主提前储水。",
             ("ann-01a", "停水这么久，能不能安排送水车？")),
    *_thread("ann-02", "yunqi", D, "【通知】电梯年度维保安排",
             "4月1日至4月10日分楼栋进行电梯维保，每部电梯停运约2小时，请大家错峰出行。"),
    *_thread("ann-03", "binjiang", D, "【通知】消防演练",
             "本周五下午三点进行消防演练，请勿在消防通道停车。"),
    *_thread("ann-04", "jinxiu", D, "【通知】配电房检修停电",
             "配电房检修，6月2日8:00-12:00停电，电梯暂停使用。"),
    *_thread("ann-05", "cuihu", D, "【通知】垃圾分类积分兑换",
             "鼓励业主参与垃圾分类，分类积分可以在物业中心兑换日用品。"),
    *_thread("ann-06", "yunqi", D, "【通知】高空抛物专项整治",
             "近期发生多起高空抛物事件，物业将在各楼栋加装高空摄像头。"),
    *_thread("ann-07", "binjiang", D, "【通知】2024年度物业费缴纳",
             "2024年度物业费开始缴纳，6月30日前缴清可享95折。"),
    *_thread("ann-08", "jinxiu", D, "【通知】地下车库清洗，请车主挪车",
             "本周六上午清洗地下车库，请车主提前挪车，谢谢配合。"),
    *_thread("ann-09", "cuihu", D, "【通知】入户燃气安全检查",
             "燃气公司下周入户做燃气安全检查，检查人员都佩戴工作证。"),
    *_thread("ann-10", "yunqi", D, "【通知】快递柜搬到东门",
             "因消防整改，快递柜本周搬到东门岗亭旁边。"),
    *_thread("parcel-01", "cuihu", C, "快递柜超过12小时就收费",
             "快递柜放超过12小时就收费，我上班根本来不及取。",
             ("parcel-01a", "快递员不问一声就放快递柜，收费还要我们出。")),
    *_thread("parcel-02", "yunqi", D, "放门口的快递被人拿走了",
             "放在门口的快递被人拿走了，楼道监控能调吗？"),
    *_thread("pet-01", "binjiang", D, "遛狗不拴绳吓到小孩",
             "晚上在中心花园遛狗不拴绳，大狗冲着小孩跑，家长都吓坏了。"),
    *_thread("pet-02", "jinxiu", C, "草坪上到处是狗屎",
             "中心草坪上到处是狗屎，孩子都不敢去玩，请物业加强管理。"),
    *_thread("trash-01", "cuihu", C, "垃圾站夏天臭味熏人",
             "4栋旁边的垃圾站夏天臭味熏人，窗户都不敢开。"),
    *_thread("kids-01", "binjiang", D, "周末带娃去哪玩",
             "周末想带娃出去玩，附近有什么好去处？"),
    *_thread("road-01", "jinxiu", D, "小区主路太窄，建议拓宽",
             "小区主路会车都困难，建议拓宽或者改成单行道。"),
]

# --- Everyday complaints and questions that mention the same words in passing ----------
EVERYDAY = [
    *_thread("day-01", "cuihu", C, "水压太低，高层洗澡水流很小",
             "我家住22楼，早晚用水高峰水压太低，热水器都打不着火，二次供水的水泵是不是该检修了？",
             ("day-01a", "20楼以上都这样，物业说水泵是好的。"),
             ("day-01b", "可以让物业把高区的变频泵调一下。")),
    *_thread("day-02", "yunqi", C, "装修押金一年了还不退",
             "装修完一年了，装修押金两千块物业一直不退，说还要检查有没有破坏防水层。",
             ("day-02a", "我的也是，押金条要留好，去物业中心当面要。")),
    *_thread("day-03", "binjiang", D, "装修垃圾堆在楼道没人清",
             "楼上装修的垃圾在楼道堆了一个星期，电梯口都快走不过去了。"),
    *_thread("day-04", "jinxiu", C, "儿童游乐设施坏了没人修",
             "儿童游乐区的滑梯裂了一道口子，秋千的链条也松了，孩子玩很危险。",
             ("day-04a", "滑梯那个裂口很锋利，已经有小孩划伤了手。")),
    *_thread("day-05", "cuihu", D, "楼道灯声控不灵",
             "5栋楼道灯要跺好几下脚才亮，晚上上楼很不方便。"),
    *_thread("day-06", "yunqi", D, "防盗窗能不能装",
             "家里有小孩，想装隐形防盗窗，物业说影响外立面不让装，大家都怎么弄的？",
             ("day-06a", "隐形防盗网一般都可以，别装那种铁笼子就行。")),
    *_thread("day-07", "binjiang", C, "开发商承诺的会所一直不开放",
             "买房时说好的会所游泳池，交房两年了还没开放，开发商和物业互相推。"),
    *_thread("day-08", "jinxiu", D, "外卖员骑电动车在小区里乱窜",
             "外卖员骑电动车在小区主路上速度很快，差点撞到老人，能不能限速？"),
    *_thread("day-09", "cuihu", C, "热水器排烟管没有预留孔",
             "精装房厨房没给燃气热水器预留排烟孔，自己打孔物业说破坏外墙。"),
    *_thread("day-10", "yunqi", D, "物业交接什么时候完成",
             "新物业说下个月进场，旧物业的资料和公共收益交接清楚了吗？业委会有没有监督？",
             ("day-10a", "交接清单应该在公告栏公示，包括维修基金和公共收益的账。")),
    *_thread("day-11", "binjiang", D, "地下车库坡道太陡",
             "地下车库出口的坡道太陡，下雨天轮胎打滑，能不能加防滑条？"),
    *_thread("day-12", "jinxiu", C, "楼上阳台往下滴水",
             "楼上阳台洗衣机排水往下滴，我家晾的衣服天天被滴湿。"),
    *_thread("day-13", "cuihu", D, "单元门口的信报箱坏了",
             "2栋单元门口的信报箱门都掉了，水电燃气的账单经常丢。"),
    *_thread("day-14", "yunqi", D, "中心花园的喷泉能不能开",
             "中心花园的喷泉一年就开过一次，夏天晚上开一会儿孩子们很喜欢。"),
    *_thread("day-15", "binjiang", C, "物业私自出租公共区域",
             "物业把架空层租给培训机构，收的租金算不算业主的公共收益？"),
    *_thread("day-16", "jinxiu", D, "门铃可视对讲不能用",
             "单元的可视对讲坏了，访客按门铃家里听不到，只能打电话下去开门。"),
    *_thread("day-17", "cuihu", D, "新房甲醛检测去哪里做",
             "准备入住，想先做个甲醛检测，有没有做过的邻居推荐一下机构？"),
    *_thread("day-18", "yunqi", C, "下水道返臭味",
             "卫生间地漏一直返臭味，换了防臭地漏也没用，怀疑是排水管没做存水弯。",
             ("day-18a", "我家也是，开发商来看过说是设计问题，只能加装止逆阀。")),
    *_thread("day-19", "binjiang", D, "老人坐电梯不会刷卡",
             "家里老人不会用电梯卡，每次都要等邻居，能不能在一楼设个按钮？"),
    *_thread("day-20", "jinxiu", D, "冬天集中供暖温度不够",
             "家里暖气只有16度，打供热公司电话说达标了，大家家里多少度？",
             ("day-20a", "我们家18度，顶楼和边户会低一些。"),
             ("day-20b", "可以让他们上门测温，低于18度可以申请退费。")),
]

# --- Mixed Chinese, English and digits ------------------------------------------------
MIXED = [
    *_thread("mix-01", "binjiang", D, "C座1203两室一厅出租",
             "滨江花园C座1203两室一厅出租，家电齐全，拎包入住，月租3500。"),
    *_thread("mix-02", "binjiang", C, "B座1302门口楼道灯坏了",
             "B座1302门口的楼道灯坏了一周，晚上回家黑漆漆的。"),
    *_thread("mix-03", "yunqi", C, "投诉TS-000132十天没人处理",
             "我的投诉单TS-000132提交十天了，状态还是已受理，也没人联系我。"),
    *_thread("mix-04", "cuihu", D, "快递单号000123是谁的",
             "快递柜里有个包裹单号尾号000123，写的是翠湖苑，没有电话，谁的快来认领。"),
    *_thread("mix-05", "jinxiu", D, "iPhone充电器捡到了",
             "在会所健身房捡到一个iPhone充电器，白色的，已交给前台。"),
]

# --- Formulaic posts: second-hand sales, rentals, parking spaces, lost and found ------
# Each row's first field is its id's suffix; communities and buildings rotate.
_SALES = [  # key, item, condition, price (yuan), reason
    ("pram", "婴儿车", "九成新", 300, "孩子大了用不上"),
    ("kids-bike", "儿童自行车", "八成新", 120, "孩子长高了"),
    ("desk", "实木书桌", "九成新", 400, "搬家带不走"),
    ("treadmill", "跑步机", "用了半年", 1200, "家里放不下"),
    ("purifier", "空气净化器", "九五新", 600, "换了新风系统"),
    ("piano", "雅马哈钢琴", "保养很好", 9000, "孩子不学了"),
    ("sofa", "布艺沙发", "八成新", 800, "重新装修"),
    ("fridge", "双门冰箱", "用了两年", 700, "换了大冰箱"),
    ("tv-stand", "电视柜", "九成新", 200, "换了新家具"),
    ("washer", "滚筒洗衣机", "用了三年", 500, "搬家"),
    ("cot", "婴儿床", "九成新", 350, "孩子大了"),
    ("car-seat", "儿童安全座椅", "几乎全新", 450, "换车了"),
    ("tank", "鱼缸", "带过滤器", 150, "没时间养"),
    ("guitar", "民谣吉他", "九成新", 400, "学不会"),
    ("spin-bike", "动感单车", "八成新", 300, "落灰了"),
    ("shelf", "书架", "九成新", 100, "搬家"),
    ("cooker", "电饭煲", "几乎全新", 120, "送的用不上"),
    ("books", "儿童绘本五十本", "品相很好", 100, "孩子看完了"),
    ("tent", "户外帐篷", "只用过一次", 180, "不怎么露营"),
    ("robot", "扫地机器人", "九成新", 500, "换了新款"),
]
_BUILDINGS = ["1栋", "2栋", "3号楼", "5号楼", "6栋", "8号楼", "9栋", "11号楼", "12栋", "15号楼"]


def _sales() -> list[Post]:
    titles = ["出售{item}，{cond}", "转让{item}", "{item}低价转让", "闲置{item}出"]
    communities = list(COMMUNITIES)
    posts = [Post(f"sale-{key}", titles[n % 4].format(item=item, cond=cond),
                  f"{cond}的{item}，{reason}，{price}元，{_BUILDINGS[n % 10]}自提，非诚勿扰。",
                  communities[n % 4], DISCUSSION)
             for n, (key, item, cond, price, reason) in enumerate(_SALES)]
    # A second pram, withdrawn by its owner: never found by members again.
    posts.append(Post("sale-pram-withdrawn", "二手婴儿车便宜出",
                      "好孩子婴儿车，能坐能躺，200元，9栋自提。", "yunqi", DISCUSSION,
                      deleted=True))
    return posts


_RENTALS = [  # key, community, building and room, layout, rent, note
    ("cuihu-1802", "cuihu", "5栋1802", "三室两厅", 4200, "南北通透，家电齐全"),
    ("cuihu-601", "cuihu", "2栋601", "两室一厅", 3000, "简单装修，可养宠物"),
    ("yunqi-2201", "yunqi", "9号楼2201", "三室一厅", 4500, "精装修，拎包入住"),
    ("yunqi-502", "yunqi", "3号楼502", "一室一厅", 2200, "适合单身上班族"),
    ("binjiang-808", "binjiang", "A座808", "两室两厅", 3800, "江景房，采光好"),
    ("binjiang-1101", "binjiang", "D座1101", "三室两厅", 5200, "精装修，带车位"),
    ("jinxiu-302", "jinxiu", "7号楼302", "两室一厅", 2600, "近地铁，带家具"),
    ("jinxiu-1502", "jinxiu", "10号楼1502", "四室两厅", 6000, "复式，带花园"),
]


def _rentals() -> list[Post]:
    return [Post(f"rent-{key}", f"{room} {layout}出租",
                 f"{COMMUNITIES[community]}{room}，{layout}，{note}，月租{rent}元，押一付三，"
                 "房东直租。", community, DISCUSSION)
            for key, community, room, layout, rent, note in _RENTALS]


_SPACES = [  # key, community, zone and number, rent or sell, price
    ("cuihu-b218", "cuihu", "B区218号", "出租", "月租350"),
    ("cuihu-a036", "cuihu", "A区036号", "出售", "12万"),
    ("yunqi-117", "yunqi", "负二层117号", "出租", "月租300"),
    ("yunqi-009", "yunqi", "负一层009号", "出售", "15万"),
    ("binjiang-c105", "binjiang", "C区105号", "出租", "月租400"),
    ("binjiang-c226", "binjiang", "C区226号", "出售", "13.5万"),
    ("jinxiu-e031", "jinxiu", "东区031号", "出租", "月租280"),
    ("jinxiu-w142", "jinxiu", "西区142号", "出售", "10万"),
]


def _spaces() -> list[Post]:
    return [Post(f"space-{key}", f"地下车位{what}，{where}",
                 f"{COMMUNITIES[community]}地下车位{where}{what}，{price}，有意私信。",
                 community, DISCUSSION)
            for key, community, where, what, price in _SPACES]


_FOUND = [  # key, what, where
    ("keys", "一串钥匙，挂着小熊", "中心花园长椅"), ("bus-card", "一张公交卡", "东门岗亭"),
    ("cup", "儿童水杯，粉色", "儿童游乐区"), ("glasses", "一副近视眼镜", "会所健身房"),
    ("wallet", "黑色钱包", "3号楼电梯口"), ("scooter", "小孩的滑板车", "南门"),
    ("cat", "一只橘猫，很亲人", "8栋楼下"), ("umbrella", "蓝色雨伞", "会所前台"),
]


def _found() -> list[Post]:
    communities = list(COMMUNITIES)
    return [Post(f"found-{key}", f"失物招领：{what.split('，')[0]}",
                 f"今天在{where}捡到{what}，失主请到物业服务中心认领。",
                 communities[n % 4], DISCUSSION)
            for n, (key, what, where) in enumerate(_FOUND)]


_CHAT = [  # key, title, body: everyday threads
    ("breakfast", "附近哪家早餐店好吃", "刚搬来，附近有什么好吃的早餐店推荐？"),
    ("carpool", "有没有一起拼车上班的", "每天早上八点从小区出发去科技园，可以分摊油费。"),
    ("cleaner", "推荐靠谱的家政阿姨", "想找个每周来两次的家政阿姨，有推荐的吗？"),
    ("rice", "小区团购大米", "东北大米团购，十斤一袋，满二十袋包邮。"),
    ("flea", "周末业主跳蚤市场", "周日上午在中心广场办跳蚤市场，欢迎摆摊。"),
    ("school-bus", "孩子上学的校车几点到", "对口小学的校车早上几点在东门接？"),
    ("lost-cat", "猫咪走丢了，求扩散", "橘色公猫，脖子上有红色项圈，昨晚在8栋附近走丢的。"),
    ("dentist", "附近有好的牙科诊所吗", "孩子要补牙，附近有没有口碑好的牙科诊所？"),
    ("group-chat", "业主群怎么加", "新业主，请问业主群怎么加？需要验证房号吗？"),
    ("pool", "小区游泳池什么时候开放", "今年夏天游泳池几号开放？要不要办卡？"),
    ("bus-stop", "南门外的公交站改名了", "南门外的公交站改名了，导航上还是旧名字，别坐过站。"),
    ("playmates", "有没有一起遛娃的宝妈", "孩子两岁，每天下午四点在儿童游乐区，欢迎一起。"),
    ("market", "推荐小区附近的菜市场", "哪个菜市场的菜新鲜又便宜？"),
    ("gym", "会所健身房几点关门", "会所健身房晚上几点关门？周末开不开？"),
    ("water-bill", "水费在哪里交",
     "新房的水费是交给物业还是直接交自来水公司？有没有线上缴水费的办法？"),
    ("bike-repair", "哪里可以修自行车", "附近有没有修自行车的摊位？轮胎扎了。"),
    ("basketball", "小区有没有篮球场", "想带孩子打篮球，小区里有篮球场吗？"),
    ("piano-teacher", "求推荐钢琴老师", "孩子六岁，想找个能上门的钢琴老师。"),
    ("kiosk", "东门的空亭子什么时候拆", "东门那个亭子空了很久，什么时候拆？"),
    ("cake", "谁家的鸡蛋糕这么香", "每天下午南门那个鸡蛋糕小摊，排队的人好多。"),
    ("hiking", "周末去哪里爬山", "附近有没有适合带老人的爬山路线？"),
    ("roses", "谁家的花开得这么好", "3号楼一楼花园的月季开得太漂亮了，求养花经验。"),
    ("summer-care", "暑假托管班有推荐吗", "暑假两个月，有没有靠谱的托管班？"),
]


def _chat() -> list[Post]:
    communities = list(COMMUNITIES)
    return [Post(f"chat-{key}", title, body, communities[n % 4], DISCUSSION)
            for n, (key, title, body) in enumerate(_CHAT)]


POSTS: list[Post] = [*LEAKS, *LIFTS, *FEES, *PARKING, *NOISE, *DECORATION, *WINDOWS,
                     *GREEN, *NETWORK, *SECURITY, *COMMITTEE, *LIFE, *EVERYDAY, *MIXED,
                     *_sales(), *_rentals(), *_spaces(), *_found(), *_chat()]

# Internal notes: found by staff search only, never by owners.
NOTES = [
    Note("note-basement", "leak-04", "地下室渗水的原因是防水卷材批次有问题，供应商已承认，"
                                     "暂不对业主承诺赔偿。"),
    Note("note-lift", "lift-01", "当晚维保单位值班人员脱岗，已按合同扣款，不要对外说。"),
]

BY_ID: dict[str, Post] = {post.id: post for post in POSTS}
